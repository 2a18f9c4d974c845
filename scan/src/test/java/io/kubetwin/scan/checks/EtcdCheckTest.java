package io.kubetwin.scan.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.reference.ReferenceBinaries;
import io.kubetwin.scan.ReferenceEtcd;
import io.kubetwin.scan.ScanOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcd probe against the real etcd v3.6.4 serving TLS (the reference's binary; skipped with the reason when it is
 * not there): with {@code --client-cert-auth} it refuses the certificate-less probe at the handshake and there is no
 * finding; without it the probe's count over {@code /registry/} is answered and that is the finding. Each etcd is
 * first shown to answer a client that has a certificate, so a refusal is a refusal and not an etcd still starting.
 */
class EtcdCheckTest {
    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.generate();

    private static ReferenceBinaries etcdBinary() {
        var located = ReferenceBinaries.locate();
        Assumptions.assumeTrue(located.binaries() != null, () -> "no reference etcd: " + located.reason());
        return located.binaries();
    }

    @Test
    void anEtcdRequiringClientCertificatesHasNoFinding() throws Exception {
        try (var etcd = ReferenceEtcd.start(etcdBinary(), dir, ReferenceEtcd.Tls.CLIENT_CERT_AUTH, ca)) {
            // with a certificate from its CA the same range is answered: the etcd is up and the request is right
            var withCertificate = ReferenceEtcd.clientOf(etcd.url(), ca).post("/v3/kv/range", EtcdCheck.COUNT_REGISTRY);
            assertEquals(200, withCertificate.code(), withCertificate.body());

            var out = run(etcd.url());
            assertEquals(List.of(), keys(out), () -> String.join("\n", out.notes()));
            assertEquals(1, out.notes().size(), () -> String.join("\n", out.notes()));
            assertTrue(
                    out.notes().get(0).contains("certificate_required")
                            || out.notes().get(0).contains("bad_certificate"),
                    out.notes().get(0));
        }
    }

    @Test
    void anEtcdServingTlsToAnyClientIsFound() throws Exception {
        try (var etcd = ReferenceEtcd.start(etcdBinary(), dir, ReferenceEtcd.Tls.SERVER_ONLY, ca)) {
            var out = run(etcd.url());
            assertEquals(List.of("KT-ETCD-NO-CLIENT-CERT " + etcd.url()), keys(out));
            var finding = out.findings().get(0);
            assertEquals(200, finding.evidence().get(0).code());
            assertTrue(
                    finding.detail()
                            .startsWith("A range over /registry/ without a client certificate answered 200 (count "),
                    finding.detail());
        }
    }

    @Test
    void anEtcdNobodyListensOnIsANoteNotAPass() {
        var out = run("https://127.0.0.1:1");
        assertEquals(List.of(), keys(out));
        assertEquals(1, out.notes().size(), () -> String.join("\n", out.notes()));
        assertTrue(out.notes().get(0).contains("not reached"), out.notes().get(0));
    }

    private static Findings run(String url) {
        var out = new Findings();
        new EtcdCheck().run(KubeletCheckTest.context(ScanOptions.READ_ONLY.withEtcd(url)), out);
        return out;
    }

    private static List<String> keys(Findings out) {
        return out.findings().stream().map(f -> f.key()).toList();
    }
}
