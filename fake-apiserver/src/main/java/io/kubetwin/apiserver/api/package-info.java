/**
 * Typed API values shared by the pipeline: Status errors and the models the security logic reads; and the Go text
 * rules every body and message follows, each in one place: {@link io.kubetwin.apiserver.api.GoJson} (encoding/json
 * string escaping, for Status bodies, served objects and audit events), {@link io.kubetwin.pki.GoText}
 * (strconv.Quote and the other fmt forms messages use); {@link io.kubetwin.apiserver.api.ResponseWriter} writes
 * JSON answers with them.
 */
package io.kubetwin.apiserver.api;
