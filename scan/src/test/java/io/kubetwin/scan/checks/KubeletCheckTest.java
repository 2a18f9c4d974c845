package io.kubetwin.scan.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.auth.authz.Decision;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.config.AuthorizationMode;
import io.kubetwin.kubelet.config.KubeletConfig;
import io.kubetwin.kubelet.pods.InMemoryPodSource;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.scan.ScanOptions;
import io.kubetwin.scan.probe.ApiProbe;
import io.kubetwin.scan.probe.PlainProbe;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet probe on the posture the CI proof does not start: anonymous authentication on with an authorizer that
 * refuses, the second seed article's {@code Forbidden (user=system:anonymous, verb=get, resource=nodes, ...)}.
 */
class KubeletCheckTest {
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void anonymousAuthenticatedButRefusedIsALowFindingWithTheKubeletsForbiddenText() {
        var config = KubeletConfig.flagDefaults()
                .address("127.0.0.1")
                .port(0)
                .readOnlyPort(0)
                .hostnameOverride("node-1")
                .authorizationMode(AuthorizationMode.WEBHOOK)
                .build();
        var deps = new KubeletServer.Dependencies(
                new InMemoryPodSource(), null, a -> Decision.noOpinion(""), null, Clock.systemUTC());
        var kubelet = KubeletServer.start(vertx, config, deps).await();
        try {
            var url = "https://127.0.0.1:" + kubelet.port();
            var out = new Findings();
            new KubeletCheck().run(context(ScanOptions.READ_ONLY.withKubelet(url)), out);
            assertEquals(
                    List.of("KT-KUBELET-ANON-AUTH " + url),
                    out.findings().stream().map(f -> f.key()).toList(),
                    () -> String.join("\n", out.notes()));
            var evidence = out.findings().get(0).evidence().get(0);
            assertEquals(403, evidence.code());
            assertEquals(
                    "Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])",
                    evidence.responseBody().strip());
        } finally {
            kubelet.close().await();
        }
    }

    /** The kubelet check uses only the credential-less probe; the apiserver probes point nowhere. */
    static ScanContext context(ScanOptions options) {
        var nowhere = ApiClient.anonymous(
                "https://127.0.0.1:1", CertificateAuthority.generate().certificate());
        var ids = new ApiProbe.AuditIds("test");
        return new ScanContext(
                new ApiProbe("user", nowhere, ids),
                new ApiProbe("anonymous", nowhere, ids),
                new PlainProbe(),
                options,
                ids,
                null);
    }
}
