package io.kubetwin.apiserver.request;

import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.RequestOptions;
import io.kubetwin.pki.GoText;
import io.vertx.ext.web.RoutingContext;

/**
 * The request's warning recorder (k8s.io/apiserver/pkg/warning): each warning is a {@code Warning: 299 -
 * "<text>"} response header, added at once so that it reaches the client on failures too; the same text
 * twice is written once, as upstream's recorder deduplicates.
 */
public final class ResponseWarnings {
    private ResponseWarnings() {}

    public static void add(RoutingContext rc, String text) {
        String value = "299 - " + GoText.quote(text);
        if (!rc.response().headWritten()
                && !rc.response().headers().getAll("Warning").contains(value)) {
            rc.response().headers().add("Warning", value);
        }
    }

    /** Admission's recorder for this request: warnings as headers, annotations on the audit event. */
    public static AdmissionRecorder recorder(RoutingContext rc, RequestState state) {
        return new AdmissionRecorder() {
            @Override
            public void warn(String text) {
                add(rc, text);
            }

            @Override
            public void annotate(String key, String value) {
                state.annotate(key, value);
            }

            @Override
            public RequestOptions requestOptions() {
                return new RequestOptions(
                        state.query().first("fieldManager"), state.query().first("fieldValidation"), null);
            }
        };
    }
}
