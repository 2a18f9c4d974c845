/**
 * Target-against-target comparison: each step's status, Status reason and message, selected response fields,
 * kubectl output, and each audit event field by field, after normalising what must differ between two clusters
 * (audit IDs, timestamps, IPs and ports, UIDs, resourceVersions, generated names, certificate serials and
 * fingerprints, tokens).
 */
package io.kubetwin.scenarios.compare;
