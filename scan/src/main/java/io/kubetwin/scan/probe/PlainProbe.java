package io.kubetwin.scan.probe;

import io.kubetwin.client.ApiClient;
import io.kubetwin.scan.model.Exchange;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Requests to a kubelet or etcd endpoint with no credentials at all, the way an attacker on the network (or the
 * second seed article's {@code curl -k}) would: no client certificate, and the server's certificate not checked
 * (a kubelet's serving certificate is usually self-signed; what is tested is whether the server lets a stranger in,
 * not who the server is). A TLS handshake the server refuses is an answer with code 0.
 */
public final class PlainProbe {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Generous: a kubelet on a loaded node (or a busy CI machine) may take a while to answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;

    public PlainProbe() {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(trustingEveryServer())
                .build();
    }

    /** Sends one request; {@code body} may be null. Never throws for a network failure. */
    public Answer send(String method, String url, String body) {
        var request = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("User-Agent", ApiClient.USER_AGENT)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        long start = System.nanoTime();
        try {
            var r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            var response = new ApiClient.Response(
                    r.statusCode(), r.body(), r.headers().map(), (System.nanoTime() - start) / 1_000_000);
            return new Answer(new Exchange("anonymous", method, url, body, r.statusCode(), r.body(), null), response);
        } catch (IOException e) {
            return new Answer(new Exchange("anonymous", method, url, body, 0, describe(e), null), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(new Exchange("anonymous", method, url, body, 0, "interrupted", null), null);
        }
    }

    private static String describe(IOException e) {
        var text = new StringBuilder(e.getClass().getSimpleName());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static SSLContext trustingEveryServer() {
        // An X509ExtendedTrustManager, not a plain X509TrustManager: JSSE wraps the plain kind with its own
        // host-name check, which a kubelet's self-signed certificate for the node name would fail.
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
