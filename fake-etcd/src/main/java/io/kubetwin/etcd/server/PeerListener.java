package io.kubetwin.etcd.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kubetwin.etcd.grpc.MemberInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The peer listener ({@code --listen-peer-urls}) with etcd's peer TLS model: HTTPS with the peer certificate,
 * and with {@code --peer-client-cert-auth} a peer certificate from the peer CA required at the handshake. A
 * single member has no peers to replicate to, so it answers only etcd's peer {@code /version} endpoint
 * (etcdhttp/version.go) and 404 elsewhere; its point is that the TLS rules are enforced where etcd enforces them.
 */
final class PeerListener implements AutoCloseable {
    private final HttpServer server;

    private PeerListener(HttpServer server) {
        this.server = server;
    }

    static PeerListener start(URI url, TlsInfo tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
        HttpServer server;
        if ("https".equals(url.getScheme())) {
            SSLContext ctx = ServerTls.httpsContext(tls);
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(ctx) {
                @Override
                public void configure(HttpsParameters params) {
                    var p = ctx.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                    p.setNeedClientAuth(tls.clientCertAuth());
                    params.setSSLParameters(p);
                }
            });
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.createContext("/", PeerListener::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-etcd-peer");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new PeerListener(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange ex) throws IOException {
        String body;
        int status;
        if ("/version".equals(ex.getRequestURI().getPath())) {
            status = 200;
            body = "{\"etcdserver\":\"" + MemberInfo.VERSION + "\",\"etcdcluster\":\"" + MemberInfo.CLUSTER_VERSION
                    + "\"}";
            ex.getResponseHeaders().set("Content-Type", "application/json");
        } else {
            status = 404;
            body = "404 page not found\n";
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (server.getExecutor() instanceof java.util.concurrent.ExecutorService es) {
            es.shutdownNow();
        }
    }
}
