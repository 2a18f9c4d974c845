/** The values a scan produces: findings with their evidence, per-check results, the whole report. */
package io.kubetwin.scan.model;
