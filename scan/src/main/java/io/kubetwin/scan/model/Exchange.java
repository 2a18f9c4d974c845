package io.kubetwin.scan.model;

/**
 * One request the scan sent and the answer it got: the proof behind a finding. Bodies are kept as sent and as
 * received, cut at {@link #MAX_BODY} characters so that a list of every secret does not end up in a report.
 *
 * @param identity    who sent it (the kubeconfig's user, {@code anonymous}, ...)
 * @param method      the HTTP method
 * @param url         the full URL
 * @param requestBody the body sent, or null
 * @param code        the HTTP status code, or 0 when no answer came (then {@code responseBody} says why)
 * @param responseBody the answer's body (shortened), or the connection error
 * @param auditId     the {@code Audit-ID} header the scan sent, or null (kubelet and etcd probes)
 */
public record Exchange(
        String identity, String method, String url, String requestBody, int code, String responseBody, String auditId) {
    public static final int MAX_BODY = 1500;

    public Exchange {
        requestBody = shorten(requestBody);
        responseBody = shorten(responseBody);
    }

    private static String shorten(String body) {
        if (body == null || body.length() <= MAX_BODY) {
            return body;
        }
        return body.substring(0, MAX_BODY) + "... (" + (body.length() - MAX_BODY) + " more characters)";
    }

    /** {@code GET https://host/path -> 200}, for one-line summaries. */
    public String summary() {
        return method + " " + url + " -> " + (code == 0 ? "no answer" : String.valueOf(code));
    }
}
