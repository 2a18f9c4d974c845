package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.authn.serviceaccount.IssuerMetadata;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves the service-account issuer discovery documents (pkg/routes/openidmetadata.go) on two go-restful
 * routes: raw JSON, cacheable for an hour, readable by every service account through the bootstrap
 * ClusterRoleBinding system:service-account-issuer-discovery.
 */
public final class IssuerMetadataHandler {
    private static final String JWKS_MEDIA_TYPE = "application/jwk-set+json";

    /** For an issuer kube-apiserver serves no discovery for: no routes. */
    public static final IssuerMetadataHandler NONE = new IssuerMetadataHandler(null, null);

    private final Supplier<IssuerMetadata> metadata;
    private final ResponseWriter writer;

    /** {@code metadata} is read at the first request, once the bound port (and so the JWKS URI) is known. */
    public IssuerMetadataHandler(Supplier<IssuerMetadata> metadata, ResponseWriter writer) {
        this.metadata = metadata;
        this.writer = writer;
    }

    public void install(Router router) {
        if (metadata == null) {
            return;
        }
        router.route(IssuerMetadata.CONFIG_PATH)
                .handler(rc -> DiscoveryHandler.restful(
                        rc,
                        List.of("application/json"),
                        () -> serve(rc, "application/json", metadata.get().config())));
        router.route(IssuerMetadata.JWKS_PATH)
                .handler(rc -> DiscoveryHandler.restful(
                        rc,
                        List.of(JWKS_MEDIA_TYPE),
                        () -> serve(rc, JWKS_MEDIA_TYPE, metadata.get().keySet())));
    }

    /** The pre-rendered json.Marshal bytes, written as they are: compact, no newline, whoever asks. */
    private void serve(RoutingContext rc, String contentType, JsonNode body) {
        rc.response()
                .setStatusCode(200)
                .putHeader("Content-Type", contentType)
                .putHeader("Cache-Control", "public, max-age=3600");
        RequestState.of(rc).end(rc, Buffer.buffer(writer.compact(body)));
    }
}
