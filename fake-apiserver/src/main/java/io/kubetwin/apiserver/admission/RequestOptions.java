package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The options of the client's request that admission hands on to webhooks in the AdmissionReview's
 * {@code options} (CreateOptions and UpdateOptions: fieldManager and fieldValidation as given in the query, as
 * upstream's handlers decode them and convert PatchOptions; DeleteOptions as the client sent them). Dry-run is on
 * {@link AdmissionAttributes#dryRun()}.
 *
 * @param fieldManager the {@code fieldManager} query parameter, or null
 * @param fieldValidation the {@code fieldValidation} query parameter, or null
 * @param deleteOptions a delete's options without kind, apiVersion and dryRun, fields in Go order; null otherwise
 */
public record RequestOptions(String fieldManager, String fieldValidation, ObjectNode deleteOptions) {
    /** No options: the control plane's own writes. */
    public static final RequestOptions NONE = new RequestOptions(null, null, null);
}
