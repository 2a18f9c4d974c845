/**
 * Go's {@code strconv.Quote}, which audit output must reproduce byte for byte (legacy log lines, validation
 * messages). Pure and thread-safe. Go's JSON string escaping lives in {@link io.kubetwin.apiserver.api.GoJson}.
 */
package io.kubetwin.apiserver.audit.gotext;
