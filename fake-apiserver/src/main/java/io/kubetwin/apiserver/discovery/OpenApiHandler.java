package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Serves OpenAPI v3 as kube-apiserver does (/openapi/v3 lists one document per group-version, each
 * addressed with a content hash): the documents are the reference's, recorded in
 * {@code openapi-v3/}, for the built-in group-versions the fake serves. kubectl reads them for
 * {@code apply} and {@code explain}. Custom resources are not described (kubectl then falls back to
 * JSON merge patch for them, as it does for any type without a schema).
 */
public final class OpenApiHandler {
    private final ResponseWriter writer;
    private final Supplier<Set<String>> servedGroupVersions;
    private final Map<String, Document> cache = new ConcurrentHashMap<>();

    private record Document(Buffer body, String hash) {}

    public OpenApiHandler(ResponseWriter writer, Supplier<Set<String>> servedGroupVersions) {
        this.writer = writer;
        this.servedGroupVersions = servedGroupVersions;
    }

    public void install(Router router) {
        router.get("/openapi/v3").handler(this::index);
        router.get("/openapi/v3/").handler(this::index);
        router.getWithRegex("/openapi/v3/(.+)").handler(rc -> document(rc, rc.pathParam("param0")));
    }

    private void index(RoutingContext rc) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode paths = body.putObject("paths");
        for (String gv : servedGroupVersions.get().stream().sorted().toList()) {
            String path = gv.contains("/") ? "apis/" + gv : "api/" + gv;
            Document doc = load(path);
            if (doc != null) {
                paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash=" + doc.hash());
            }
        }
        // kube-openapi's handlers write json.Marshal's bytes directly, for every client: compact, no trailing
        // newline, and no audit responseObject
        rc.response().setStatusCode(200).putHeader("Content-Type", "application/json");
        RequestState.of(rc).end(rc, Buffer.buffer(writer.compact(body)));
    }

    private void document(RoutingContext rc, String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String gv = trimmed.startsWith("apis/")
                ? trimmed.substring(5)
                : trimmed.startsWith("api/") ? trimmed.substring(4) : "";
        Document doc = servedGroupVersions.get().contains(gv) ? load(trimmed) : null;
        if (doc == null) {
            rc.fail(Statuses.pathNotFound());
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

    private Document load(String path) {
        return cache.computeIfAbsent(path, p -> {
            String resource = "openapi-v3/" + p.replace('/', '_') + ".json.gz";
            try (InputStream in = OpenApiHandler.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return null;
                }
                byte[] bytes = new GZIPInputStream(in).readAllBytes();
                return new Document(Buffer.buffer(bytes), sha512(bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
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
