package io.kubetwin.junit;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * Official Java client ({@code io.kubernetes:client-java}) {@link ApiClient}s for the actors of a server, one per
 * actor, released with the server. Only loaded when a test asks for an {@code ApiClient} (client-java is an optional
 * dependency), so nothing here is needed otherwise.
 */
final class ClientJavaClients {
    static final String CLIENT_CLASS = "io.kubernetes.client.openapi.ApiClient";

    private ClientJavaClients() {}

    static ApiClient client(KubeTwinServer server, KubeTwinActor actor) {
        return server.attachment("client-java:" + actor.name(), () -> new Released(make(actor)))
                .client();
    }

    private static ApiClient make(KubeTwinActor actor) {
        try {
            return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(actor.kubeconfig())))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("a client-java ApiClient for " + actor.name(), e);
        }
    }

    /**
     * An ApiClient is not closeable: its OkHttp client's dispatcher threads and pooled connections are released here,
     * as OkHttp's documentation says to shut a client down.
     */
    private record Released(ApiClient client) implements AutoCloseable {
        @Override
        public void close() {
            client.getHttpClient().dispatcher().executorService().shutdown();
            client.getHttpClient().connectionPool().evictAll();
        }
    }
}
