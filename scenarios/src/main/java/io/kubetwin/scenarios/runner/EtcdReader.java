package io.kubetwin.scenarios.runner;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.StatusRuntimeException;
import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.scenarios.model.EtcdRequest;
import io.kubetwin.scenarios.target.EtcdEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an etcd step: one gRPC Range over the fake apiserver's own etcd client ({@link EtcdConnection}: TLS with the
 * endpoint's CA, and the step's client certificate or none), recorded as an {@link EtcdAnswer}. A refused handshake
 * is recorded as the TLS alert the server sent, in Go's words, so that etcd and the fake etcd compare.
 */
final class EtcdReader {

    /** TLS alerts (RFC 8446 names, as BoringSSL reports them) in Go crypto/tls's alert text (alert.go). */
    private static final Map<String, String> ALERTS = Map.of(
            "certificate_required", "tls: certificate required",
            "unknown_ca", "tls: unknown certificate authority",
            "bad_certificate", "tls: bad certificate",
            "certificate_expired", "tls: expired certificate",
            "handshake_failure", "tls: handshake failure",
            "certificate_unknown", "tls: unknown certificate");

    private EtcdReader() {}

    static EtcdAnswer read(EtcdRequest request, EtcdEndpoint endpoint) {
        Path cert = null;
        Path key = null;
        switch (request.client()) {
            case APISERVER -> {
                cert = endpoint.apiServerCert();
                key = endpoint.apiServerKey();
            }
            case FOREIGN_CA -> {
                cert = endpoint.foreignCert();
                key = endpoint.foreignKey();
            }
            case NONE -> {}
        }
        var channel = new EtcdConnection(List.of(URI.create(endpoint.url())), endpoint.caFile(), cert, key).open();
        try {
            var response = KVGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder()
                            .setKey(ByteString.copyFrom(request.get(), StandardCharsets.UTF_8))
                            .setCountOnly(true)
                            .build());
            return new EtcdAnswer((int) response.getCount(), null);
        } catch (StatusRuntimeException e) {
            return new EtcdAnswer(null, describe(e));
        } finally {
            channel.shutdownNow();
        }
    }

    static String describe(StatusRuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            var message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            for (var alert : ALERTS.entrySet()) {
                if (message.contains(alert.getKey())
                        || message.contains(alert.getKey().replace('_', ' '))) {
                    return alert.getValue();
                }
            }
        }
        return e.getStatus().getCode() + ": " + e.getStatus().getDescription();
    }
}
