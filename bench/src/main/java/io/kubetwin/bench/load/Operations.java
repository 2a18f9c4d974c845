package io.kubetwin.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/** The measured operations, as the non-admin bench user sends them into the namespaces {@link Fixtures} seeds. */
public final class Operations {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Operations() {}

    public static final String GET = "GET one ConfigMap";
    public static final String LIST_100 = "LIST 100 ConfigMaps";
    public static final String LIST_1000 = "LIST 1,000 ConfigMaps";
    public static final String CREATE = "CREATE a ConfigMap";
    public static final String ACCESS_REVIEW = "SelfSubjectAccessReview";
    public static final String WATCH = "watch fan-out";
    public static final List<String> ALL = List.of(GET, LIST_100, LIST_1000, CREATE, ACCESS_REVIEW, WATCH);

    /** The request operations by report name; {@code runId} keeps created names unique across runs. */
    public static Operation of(String name, String runId) {
        return switch (name) {
            case GET -> get(GET, Fixtures.configMapPath(Fixtures.NS_100, "cm-0"));
            case LIST_100 -> get(LIST_100, Fixtures.configMapsPath(Fixtures.NS_100));
            case LIST_1000 -> get(LIST_1000, Fixtures.configMapsPath(Fixtures.NS_1000));
            case CREATE -> {
                String path = Fixtures.configMapsPath(Fixtures.NS_CREATE);
                yield new Operation(
                        CREATE,
                        path,
                        201,
                        (url, seq) -> post(
                                url + path, Fixtures.configMapJson(Fixtures.NS_CREATE, "c-" + runId + "-" + seq, seq)));
            }
            case ACCESS_REVIEW -> {
                String path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
                String body = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                        + "\"spec\":{\"resourceAttributes\":{\"namespace\":\"" + Fixtures.NS_100
                        + "\",\"verb\":\"get\",\"resource\":\"configmaps\"}}}";
                yield new Operation(ACCESS_REVIEW, path, 201, (url, seq) -> post(url + path, body));
            }
            default -> throw new IllegalArgumentException("no request operation " + name);
        };
    }

    private static Operation get(String name, String path) {
        return new Operation(
                name,
                path,
                200,
                (url, seq) -> HttpRequest.newBuilder(URI.create(url + path))
                        .timeout(TIMEOUT)
                        .header("Accept", "application/json")
                        .GET()
                        .build());
    }

    static HttpRequest post(String uri, String json) {
        return HttpRequest.newBuilder(URI.create(uri))
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
