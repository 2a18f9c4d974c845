package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.AcceptClauses;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.registry.ApiSurface;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * Serves OpenAPI as kube-apiserver does: v3 (/openapi/v3 lists one document per path, each addressed
 * with a content hash) and v2 (/openapi/v2, JSON or protobuf by Accept). The documents are the reference's,
 * recorded by {@code ci/reference/record-api-surface.sh} into {@code openapi-v3/} (with the reference's
 * index) and {@code openapi-v2.*.gz}; each is decompressed on first use and kept, never parsed. kubectl
 * reads them for {@code apply} and {@code explain}. Custom resources are not described (kubectl then falls
 * back to JSON merge patch for them, as it does for any type without a schema).
 *
 * <p>At an emulated release ({@link ApiSurface}) the index and v2 are that release's recordings; a v3 document
 * it did not record separately is the binary's with {@code info.version} naming the emulated release, which is all
 * the reference changes in it (the hashes of the recorded index check that, in OpenApiHandlerTest).
 */
public final class OpenApiHandler {
    static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    private final ResponseWriter writer;
    private final Supplier<Set<String>> servedGroupVersions;
    private final ApiSurface surface;
    private final Map<String, Optional<Document>> cache = new ConcurrentHashMap<>();
    private volatile JsonNode recordedIndex;

    private record Document(Buffer body, String hash) {}

    public OpenApiHandler(ResponseWriter writer, Supplier<Set<String>> servedGroupVersions) {
        this(writer, servedGroupVersions, ApiSurface.BINARY);
    }

    /** As above, serving the recorded documents of an emulated release. */
    public OpenApiHandler(ResponseWriter writer, Supplier<Set<String>> servedGroupVersions, ApiSurface surface) {
        this.writer = writer;
        this.servedGroupVersions = servedGroupVersions;
        this.surface = surface;
    }

    public void install(Router router) {
        // Go's mux hands kube-openapi's v2 handler every method; HEAD gets its headers without the body
        router.get("/openapi/v2").handler(this::v2);
        router.head("/openapi/v2").handler(this::v2);
        router.get("/openapi/v3").handler(this::index);
        router.get("/openapi/v3/").handler(this::index);
        router.getWithRegex("/openapi/v3/(.+)").handler(rc -> document(rc, rc.pathParam("param0")));
    }

    private void index(RoutingContext rc) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode paths = body.putObject("paths");
        Set<String> served = servedGroupVersions.get();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        recordedIndex().path("paths").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (served(e.getKey(), served)) {
                paths.set(e.getKey(), e.getValue());
            }
        }
        // kube-openapi's handlers write json.Marshal's bytes directly, for every client: compact, no trailing
        // newline, and no audit responseObject; the index sets no Content-Type, so net/http sniffs text/plain
        rc.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8");
        RequestState.of(rc).end(rc, Buffer.buffer(writer.compact(body)));
    }

    /** Whether a recorded path is served: group-versions and groups the catalog serves, and the non-resource documents. */
    private static boolean served(String path, Set<String> served) {
        if (path.startsWith("api/")) {
            return served.contains(path.substring(4));
        }
        if (path.startsWith("apis/")) {
            String rest = path.substring(5);
            return rest.contains("/")
                    ? served.contains(rest)
                    : served.stream().anyMatch(gv -> gv.startsWith(rest + "/"));
        }
        return true;
    }

    private void document(RoutingContext rc, String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Document doc = served(trimmed, servedGroupVersions.get())
                ? loadV3("openapi-v3/" + trimmed.replace('/', '_') + ".json.gz")
                : null;
        if (doc == null) {
            // kube-openapi's v3 handler: WriteHeader(404) and nothing else (no body, no Content-Type)
            rc.response().setStatusCode(404);
            RequestState.of(rc).end(rc, Buffer.buffer());
            return;
        }
        // handler3's negotiation; the fake has the documents in JSON only, so a protobuf clause gets JSON too
        rc.response().putHeader("Vary", "Accept");
        if (AcceptClauses.parse(acceptOrAny(rc)).isEmpty()) {
            // no clause at all: the handler returns before writing anything, and audit fakes the success status it
            // records for a handler that wrote nothing (filters/audit.go)
            rc.response().setStatusCode(200);
            RequestState state = RequestState.of(rc);
            state.responseStatus(new Status(Status.SUCCESS, "Connection closed early", "", null, 200));
            state.end(rc, Buffer.buffer());
            return;
        }
        if (negotiate(rc, V3_FORMATS).isEmpty()) {
            notAcceptable(rc);
            return;
        }
        String hash = RequestState.of(rc).query().first("hash");
        if (hash != null && hash.equals(doc.hash())) {
            rc.response().putHeader("Cache-Control", "public, immutable");
            rc.response().putHeader("Expires", "Thu, 01 Jan 2099 00:00:00 GMT");
        }
        rc.response().putHeader("Etag", "\"" + doc.hash() + "\"");
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        RequestState.of(rc).end(rc, doc.body());
    }

    /**
     * kube-openapi's v2 handler: the first Accept clause naming JSON or one of the two protobuf names gets that form,
     * none a bare 406; the ETag is the JSON's hash for both forms.
     */
    private void v2(RoutingContext rc) {
        rc.response().putHeader("Vary", "Accept");
        Optional<String> format = negotiate(rc, V2_FORMATS);
        if (format.isEmpty()) {
            notAcceptable(rc);
            return;
        }
        boolean protobuf = !format.get().equals("json");
        Document json = load("openapi-v2.json.gz");
        Document body = protobuf ? load("openapi-v2.pb.gz") : json;
        rc.response()
                .setStatusCode(200)
                .putHeader("Content-Type", protobuf ? V2_PROTOBUF : "application/json")
                .putHeader("Etag", "\"" + json.hash() + "\"");
        RequestState.of(rc).end(rc, body.body());
    }

    /** The subtypes of application/ that kube-openapi's handlers serve, in their order (handler.go, handler3). */
    private static final List<String> V2_FORMATS = List.of(
            "json", "com.github.proto-openapi.spec.v2@v1.0+protobuf", "com.github.proto-openapi.spec.v2.v1.0+protobuf");

    private static final List<String> V3_FORMATS = List.of(
            "json", "com.github.proto-openapi.spec.v3.v1.0+protobuf", "com.github.proto-openapi.spec.v3@v1.0+protobuf");

    /** An empty Accept header counts as {@code *}{@code /*}. */
    private static String acceptOrAny(RoutingContext rc) {
        String accept = rc.request().getHeader("Accept");
        return accept == null || accept.isEmpty() ? "*/*" : accept;
    }

    /**
     * kube-openapi's negotiation: the first clause in goautoneg's order whose type is application or '*' and whose
     * subtype is one of {@code formats} or '*', matched in the handler's order of formats; empty for none.
     */
    private static Optional<String> negotiate(RoutingContext rc, List<String> formats) {
        for (AcceptClauses.Clause clause : AcceptClauses.parse(acceptOrAny(rc))) {
            for (String format : formats) {
                if ((clause.type().equals("application") || clause.type().equals("*"))
                        && (clause.subType().equals(format) || clause.subType().equals("*"))) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /** WriteHeader(406) and nothing else. */
    private static void notAcceptable(RoutingContext rc) {
        rc.response().setStatusCode(406);
        RequestState.of(rc).end(rc, Buffer.buffer());
    }

    private JsonNode recordedIndex() {
        JsonNode index = recordedIndex;
        if (index == null) {
            try (InputStream in = surface.open("openapi-v3/index.json")) {
                index = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            recordedIndex = index;
        }
        return index;
    }

    /** A v3 document: the emulated release's recording, else the binary's with the emulated info.version. */
    private Document loadV3(String name) {
        if (surface.binary() || surface.recordsOwn(name)) {
            return load(name, bytes -> bytes);
        }
        return load(name, bytes -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            String own = "\"info\":{\"title\":\"Kubernetes\",\"version\":\"" + ApiSurface.BINARY.release() + "\"}";
            int at = text.indexOf(own);
            if (at < 0) {
                throw new IllegalStateException(name + " has no " + own);
            }
            return (text.substring(0, at)
                            + own.replace(ApiSurface.BINARY.release(), surface.release())
                            + text.substring(at + own.length()))
                    .getBytes(StandardCharsets.UTF_8);
        });
    }

    private Document load(String name) {
        return load(name, bytes -> bytes);
    }

    private Document load(String name, UnaryOperator<byte[]> rewrite) {
        return cache.computeIfAbsent(name, r -> {
                    try (InputStream in = surface.open(r)) {
                        if (in == null) {
                            return Optional.empty();
                        }
                        byte[] bytes = rewrite.apply(new GZIPInputStream(in).readAllBytes());
                        return Optional.of(new Document(Buffer.buffer(bytes), sha512(bytes)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .orElse(null);
    }

    private static String sha512(byte[] bytes) {
        try {
            return HexFormat.of()
                    .withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
