package io.kubetwin.apiserver.api;

import io.kubetwin.pki.GoText;
import java.net.ConnectException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * How client-go words a failed call the apiserver makes itself (audit webhooks, admission webhooks): transport
 * errors as Go's net/http and crypto/tls print them, and errors.NewGenericServerResponse's texts for a non-2xx
 * answer without a Status body. Pure.
 */
public final class ClientGoErrors {
    private ClientGoErrors() {}

    /** A transport failure to {@code hostPort} ("127.0.0.1:8443"), as the text after {@code Post "<url>": }. */
    public static String transportError(Throwable t, String hostPort) {
        if (t instanceof ConnectException || String.valueOf(t.getMessage()).contains("Connection refused")) {
            return "dial tcp " + hostPort + ": connect: connection refused";
        }
        if (t instanceof SSLException) {
            // the verifier's reason may sit a few causes down (Vert.x wraps the handshake failure)
            for (Throwable c = t; c != null; c = c.getCause()) {
                String m = String.valueOf(c.getMessage());
                if (m.contains("PKIX") || m.contains("certification path")) {
                    return "tls: failed to verify certificate: x509: certificate signed by unknown authority";
                }
            }
            return "tls: " + t.getMessage();
        }
        return String.valueOf(t.getMessage());
    }

    /** client-go's error for a non-2xx answer without a Status body (errors.NewGenericServerResponse). */
    public static String statusError(int code, String body) {
        return switch (code) {
            case 400 -> "the server rejected our request for an unknown reason";
            case 401 -> "Unauthorized";
            case 403 -> "the server does not allow access to the requested resource";
            case 404 -> "the server could not find the requested resource";
            case 405 -> "the server does not allow this method on the requested resource";
            case 409 -> "the server reported a conflict";
            case 422 -> "the server rejected our request due to an error in our request";
            case 429 -> "the server has received too many requests and has asked us to try again later";
            case 503 -> "the server is currently unable to handle the request";
            case 504 ->
                "the server was unable to return a response in the time allotted, but may still be processing the request";
            default ->
                code >= 500
                        ? "an error on the server (" + GoText.quote(body.strip())
                                + ") has prevented the request from succeeding"
                        : "the server responded with the status code " + code + " but did not return more information";
        };
    }

    /**
     * The whole error client-go's REST client makes of a non-2xx answer that carries no Status
     * (rest.Request.newUnstructuredResponseError, errors.NewGenericServerResponse for a POST without a resource):
     * {@code serverMessage} is the body when the answer is {@code text/*} (cut at 2048 bytes), else "unknown"; it
     * is kept as an UnexpectedServerResponse cause.
     */
    public static Status genericServerResponse(int code, String serverMessage, int retryAfterSeconds) {
        String reason = "";
        String message = "the server responded with the status code " + code + " but did not return more information";
        switch (code) {
            case 409 -> {
                reason = "AlreadyExists";
                message = "the server reported a conflict";
            }
            case 404 -> {
                reason = "NotFound";
                message = "the server could not find the requested resource";
            }
            case 400 -> {
                reason = "BadRequest";
                message = "the server rejected our request for an unknown reason";
            }
            case 401 -> {
                reason = "Unauthorized";
                message = "the server has asked for the client to provide credentials";
            }
            case 403 -> {
                reason = "Forbidden";
                message = serverMessage;
            }
            case 406 -> {
                reason = "NotAcceptable";
                message = serverMessage.isEmpty() || serverMessage.equals("unknown")
                        ? "the server was unable to respond with a content type that the client supports"
                        : serverMessage;
            }
            case 415 -> {
                reason = "UnsupportedMediaType";
                message = serverMessage;
            }
            case 405 -> {
                reason = "MethodNotAllowed";
                message = "the server does not allow this method on the requested resource";
            }
            case 422 -> {
                reason = "Invalid";
                message = "the server rejected our request due to an error in our request";
            }
            case 503 -> {
                reason = "ServiceUnavailable";
                message = "the server is currently unable to handle the request";
            }
            case 504 -> {
                reason = "Timeout";
                message = "the server was unable to return a response in the time allotted, but may still be "
                        + "processing the request";
            }
            case 429 -> {
                reason = "TooManyRequests";
                message = "the server has received too many requests and has asked us to try again later";
            }
            default -> {
                if (code >= 500) {
                    reason = "InternalError";
                    message = "an error on the server (" + GoText.quote(serverMessage)
                            + ") has prevented the request from succeeding";
                }
            }
        }
        Status.Details details = new Status.Details(
                null,
                null,
                null,
                null,
                List.of(new Status.Cause("UnexpectedServerResponse", serverMessage, null)),
                retryAfterSeconds > 0 ? retryAfterSeconds : null);
        return Status.failure(code, reason, message, details);
    }
}
