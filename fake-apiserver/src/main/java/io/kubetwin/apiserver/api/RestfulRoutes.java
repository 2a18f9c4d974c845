package io.kubetwin.apiserver.api;

import java.util.List;

/**
 * How go-restful (github.com/emicklei/go-restful/v3, RouterJSR311.detectRoute) chooses among the routes of
 * a path, for the endpoints kube-apiserver installs with it (resources, /api, /api/v1, /apis/GROUP/VERSION,
 * /version, the service-account issuer documents): a method no route takes is a 405, then an Accept header
 * none of the routes produces is a 406 that lists what they produce. Unlike the handlers' own negotiation,
 * only whole media types or {@code *}{@code /*} match here, and parameters are ignored.
 */
public final class RestfulRoutes {
    /** What a route of an object endpoint produces. */
    public static final List<String> OBJECT = MediaNegotiation.SERVER_MEDIA_TYPES;

    /** The collection GET route, which also serves watch. */
    public static final List<String> COLLECTION = List.of(
            "application/json",
            "application/yaml",
            "application/vnd.kubernetes.protobuf",
            "application/json;stream=watch",
            "application/vnd.kubernetes.protobuf;stream=watch");

    /** pods/log, which streams text. */
    public static final List<String> LOG =
            List.of("text/plain", "application/json", "application/yaml", "application/vnd.kubernetes.protobuf");

    private RestfulRoutes() {}

    /** Route.matchesAccept; an empty header is {@code *}{@code /*}. */
    public static boolean matchesAccept(String accept, List<String> produces) {
        String remaining = accept == null || accept.isEmpty() ? "*/*" : accept;
        while (true) {
            String mediaType;
            int comma = remaining.indexOf(',');
            if (comma < 0) {
                mediaType = remaining;
                remaining = "";
            } else {
                mediaType = remaining.substring(0, comma);
                remaining = remaining.substring(comma + 1);
            }
            int semicolon = mediaType.indexOf(';');
            if (semicolon >= 0) {
                mediaType = mediaType.substring(0, semicolon);
            }
            mediaType = AcceptClauses.trimSpaces(mediaType);
            if (mediaType.equals("*/*")) {
                return true;
            }
            for (String producible : produces) {
                if (producible.equals("*/*") || producible.equals(mediaType)) {
                    return true;
                }
            }
            if (remaining.isEmpty()) {
                return false;
            }
        }
    }

    /** Throws go-restful's 406 when no route of the path produces what the client accepts. */
    public static void checkAccept(String accept, List<String> produces) {
        if (!matchesAccept(accept, produces)) {
            throw new StatusException(Status.failure(
                    406,
                    "NotAcceptable",
                    "406: Not Acceptable\n\nAvailable representations: " + String.join(", ", produces),
                    Status.Details.empty()));
        }
    }

    /** go-restful's answer for a method no route of the path takes (kube-apiserver drops its Allow header). */
    public static StatusException methodNotAllowed() {
        return new StatusException(Status.failure(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
                Status.Details.empty()));
    }
}
