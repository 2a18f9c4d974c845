package io.kubetwin.apiserver.admission;

/**
 * Where admission leaves what the client and the audit log see besides the verdict: warnings (each
 * written as a {@code Warning: 299 - "<text>"} response header, on success and on failure alike, as
 * upstream's warning recorder does) and audit annotations (added to the request's audit event, first
 * value kept). PodSecurity, admission webhooks and ValidatingAdmissionPolicy all report through it. It also
 * carries the request's options, which webhooks receive.
 */
public interface AdmissionRecorder {

    void warn(String text);

    void annotate(String key, String value);

    /** The options the client's request carried, for webhooks; none for the control plane's own writes. */
    default RequestOptions requestOptions() {
        return RequestOptions.NONE;
    }

    /** This recorder, its request's options replaced by {@code options} (a delete's, decoded by its handler). */
    default AdmissionRecorder withOptions(RequestOptions options) {
        AdmissionRecorder self = this;
        return new AdmissionRecorder() {
            @Override
            public void warn(String text) {
                self.warn(text);
            }

            @Override
            public void annotate(String key, String value) {
                self.annotate(key, value);
            }

            @Override
            public RequestOptions requestOptions() {
                return options;
            }
        };
    }

    /** For writes that no client sees: the control plane's own writes and start-up objects. */
    AdmissionRecorder NONE = new AdmissionRecorder() {
        @Override
        public void warn(String text) {}

        @Override
        public void annotate(String key, String value) {}
    };
}
