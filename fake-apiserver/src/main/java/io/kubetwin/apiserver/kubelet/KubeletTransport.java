package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.KeyStores;
import io.kubetwin.pki.Pem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * The HTTPS client the apiserver dials kubelets with: {@code --kubelet-client-certificate}/{@code -key} as its
 * identity, {@code --kubelet-certificate-authority} to verify the kubelet, or no verification at all without it
 * (upstream's default). Failures read as Go's client errors: {@code Get "URL": dial tcp HOST:PORT: connect:
 * connection refused}. Thread-safe.
 */
public final class KubeletTransport {
    /** --kubelet-timeout's default. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final KeyManager[] identity;
    private final TrustManager[] trust;

    private KubeletTransport(HttpClient http, KeyManager[] identity, TrustManager[] trust) {
        this.http = http;
        this.identity = identity;
        this.trust = trust;
    }

    public static KubeletTransport of(KubeletClientOptions options) {
        try {
            Credential identity = options.clientCertificate() == null || options.clientKey() == null
                    ? null
                    : Credential.load(options.clientCertificate(), options.clientKey());
            KeyManager[] keys = identity == null ? null : keyManagers(identity);
            TrustManager[] trust;
            if (options.certificateAuthority() != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(KeyStores.trustStore(Pem.readCertificates(options.certificateAuthority())));
                trust = tmf.getTrustManagers();
            } else {
                trust = null;
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys, trust == null ? new TrustManager[] {new VerifyNothing()} : trust, new SecureRandom());
            return new KubeletTransport(
                    HttpClient.newBuilder()
                            .sslContext(tls)
                            .connectTimeout(TIMEOUT)
                            .version(HttpClient.Version.HTTP_1_1)
                            .build(),
                    keys,
                    trust);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static javax.net.ssl.KeyManager[] keyManagers(Credential identity)
            throws java.security.GeneralSecurityException {
        javax.net.ssl.KeyManagerFactory kmf =
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(KeyStores.keyStore(identity), new char[0]);
        return kmf.getKeyManagers();
    }

    /**
     * A WebSocket client with the same identity and verification, for the streaming subresources; closed with
     * {@code vertx}. Without {@code --kubelet-certificate-authority} it trusts any kubelet, as upstream.
     */
    public WebSocketClient webSocketClient(Vertx vertx) {
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setSsl(true)
                .setConnectTimeout((int) TIMEOUT.toMillis())
                .setMaxMessageSize(1 << 24)
                .setMaxFrameSize(1 << 20);
        if (identity != null) {
            options.setKeyCertOptions(KeyCertOptions.wrap((X509KeyManager) identity[0]));
        }
        if (trust == null) {
            options.setTrustAll(true).setVerifyHost(false);
        } else {
            options.setTrustOptions(TrustOptions.wrap(trust[0])).setVerifyHost(true);
        }
        return vertx.createWebSocketClient(options);
    }

    /**
     * One GET whose body arrives as it is sent (a followed log); fails like {@link #get}.
     */
    public CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> stream(URI uri, String hostPort) {
        return http.sendAsync(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofPublisher())
                .exceptionally(e -> {
                    throw unreachable(uri, hostPort, e);
                });
    }

    private static KubeletUnreachable unreachable(URI uri, String hostPort, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof ConnectException
                ? "dial tcp " + hostPort + ": connect: connection refused"
                : String.valueOf(cause.getMessage());
        return new KubeletUnreachable("Get \"" + uri + "\": " + why);
    }

    /** One GET; fails with a {@link KubeletUnreachable} carrying Go's error text. */
    public CompletableFuture<HttpResponse<byte[]>> get(URI uri, String hostPort) {
        return http.sendAsync(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .exceptionally(e -> {
                    throw unreachable(uri, hostPort, e);
                });
    }

    /**
     * A kubelet call as the apiserver answers it: an unreachable kubelet is ErrorToAPIStatus of a plain error (500
     * with neither reason nor details, the Go client's text); other failures pass through. {@code context} may be
     * null.
     */
    public static <T> Future<T> answered(CompletionStage<T> pending, Context context) {
        Future<T> answer =
                context == null ? Future.fromCompletionStage(pending) : Future.fromCompletionStage(pending, context);
        return answer.recover(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return Future.failedFuture(
                    cause instanceof KubeletUnreachable
                            ? new StatusException(Status.failure(500, null, cause.getMessage(), null))
                            : cause);
        });
    }

    /** The kubelet could not be reached; the message is the Go client's. */
    public static final class KubeletUnreachable extends RuntimeException {
        KubeletUnreachable(String message) {
            super(message);
        }
    }

    /** InsecureSkipVerify: what kube-apiserver does without --kubelet-certificate-authority. */
    private static final class VerifyNothing extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
