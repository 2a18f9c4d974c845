package io.kubetwin.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubetwin.kubelet.server.KubeletServer;
import io.kubetwin.reference.ReferenceBinaries;
import io.kubetwin.scan.model.Finding;
import io.kubetwin.scan.model.ScanReport;
import io.kubetwin.scan.report.ReportFormat;
import io.kubetwin.scan.report.Reports;
import io.kubetwin.scenarios.target.fake.FakeTarget;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI proof: the scan against three targets whose posture is known, every finding asserted (a missed or an extra
 * one fails). The fake hardened (anonymous off, RBAC, an audit policy, a kubelet refusing anonymous clients), the fake
 * insecure (anonymous on, AlwaysAllow, an open kubelet and read-only port, no audit log), and the real reference
 * kube-apiserver with its defaults (anonymous on, RBAC), run when {@code kubetwin.targets} names it, as in
 * conformance. Reports of each scan are kept in {@code target/scan/<posture>/}.
 */
class ScanPostureTest {
    static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close() {
        vertx.close().await();
    }

    /** What the kubeconfig's admin (system:masters, so cluster-admin) holds: every dangerous permission. */
    static final List<String> ADMIN_GRANTS = Stream.of(
                    "BIND",
                    "CREATE-PODS",
                    "CSR-APPROVE",
                    "ESCALATE",
                    "EXEC",
                    "IMPERSONATE",
                    "NODES-PROXY",
                    "SA-TOKEN",
                    "SECRETS",
                    "WEBHOOK",
                    "WILDCARD")
            .map(p -> "KT-RBAC-" + p + " user kubernetes-admin (this kubeconfig)")
            .toList();

    /** Every namespace of a fresh cluster: none labelled for Pod Security, every default ServiceAccount automounting. */
    static final List<String> FRESH_NAMESPACES = Stream.of("default", "kube-node-lease", "kube-public", "kube-system")
            .flatMap(ns -> Stream.of("KT-PSA-UNENFORCED " + ns, "KT-SA-AUTOMOUNT " + ns))
            .toList();

    static final List<String> HEALTH = Stream.of("/healthz", "/livez", "/readyz", "/version")
            .map(p -> "KT-ANON-HEALTH " + p)
            .toList();

    /**
     * With --allow-privileged=true (kubeadm's setting) a privileged pod is admitted; kube-apiserver's default (false),
     * the fake's too, refuses it in validation.
     */
    static final String ADMITS_PRIVILEGED = "KT-ADM-PRIVILEGED privileged pod";

    static final String UNTRUSTED = "KT-ADM-UNTRUSTED-IMAGE evil.example.com/kubetwin-scan/untrusted:latest";

    @Test
    void hardenedFake() throws Exception {
        var target = new FakeTarget();
        try (var cluster = ScanTargets.start(target, dir, true, "--anonymous-auth=false")) {
            KubeletServer kubelet = ScanTargets.kubelet(vertx, dir, false);
            try {
                var options = ScanOptions.READ_ONLY
                        .withKubelet("https://127.0.0.1:" + kubelet.port())
                        .withAuditLog(ScanTargets.auditLog(dir, target))
                        .withWrites(true);
                var report = scan("hardened-fake", cluster.admin(), options);
                var expected = new TreeSet<String>();
                expected.addAll(ADMIN_GRANTS);
                expected.addAll(FRESH_NAMESPACES);
                expected.add(UNTRUSTED);
                assertEquals(expected, ScanTargets.keys(report));
                assertRan(report, "kubelet", "audit-presence", "admission");
                assertRefusesPrivileged(report);
            } finally {
                kubelet.close().await();
            }
        }
    }

    @Test
    void insecureFake() throws Exception {
        var target = new FakeTarget();
        try (var cluster = ScanTargets.start(
                target,
                dir,
                false,
                "--anonymous-auth=true",
                "--authorization-mode=AlwaysAllow",
                "--allow-privileged=true")) {
            KubeletServer kubelet = ScanTargets.kubelet(vertx, dir, true);
            try {
                var secure = "https://127.0.0.1:" + kubelet.port();
                var readOnly = "http://127.0.0.1:" + kubelet.readOnlyPort();
                var noAudit = dir.resolve("audit.log");
                var options = ScanOptions.READ_ONLY
                        .withKubelet(secure, readOnly)
                        .withAuditLog(noAudit)
                        .withWrites(true);
                var report = scan("insecure-fake", cluster.admin(), options);

                var expected = new TreeSet<String>();
                expected.addAll(ADMIN_GRANTS);
                expected.addAll(FRESH_NAMESPACES);
                expected.addAll(HEALTH);
                expected.add(UNTRUSTED);
                expected.add(ADMITS_PRIVILEGED);
                expected.add("KT-ANON-AUTH apiserver");
                // AlwaysAllow: anonymous clients hold every dangerous permission, so no narrower subject is reported
                ADMIN_GRANTS.forEach(g -> expected.add(g.replace(
                        "user kubernetes-admin (this kubeconfig)", "system:anonymous (unauthenticated clients)")));
                // the fake serves /metrics but no /logs or /debug/pprof (a real apiserver with AlwaysAllow would)
                Stream.of(
                                "/.well-known/openid-configuration",
                                "/api",
                                "/apis",
                                "/metrics",
                                "/openapi/v2",
                                "/openapi/v3",
                                "/openid/v1/jwks")
                        .forEach(p -> expected.add("KT-ANON-PATH " + p));
                Stream.of(
                                "clusterrolebindings",
                                "configmaps",
                                "namespaces",
                                "nodes",
                                "pods",
                                "secrets",
                                "serviceaccounts",
                                "validatingwebhookconfigurations")
                        .forEach(r -> expected.add("KT-ANON-RESOURCE list " + r));
                expected.add("KT-AUDIT-NONE " + noAudit);
                expected.add("KT-KUBELET-ANON " + secure);
                expected.add("KT-KUBELET-READONLY " + readOnly);
                assertEquals(expected, ScanTargets.keys(report));

                // the proof is the exchange itself: an anonymous list of secrets that answered 200
                var secrets = find(report, "KT-ANON-RESOURCE list secrets");
                assertEquals("CRITICAL", secrets.severity().name());
                assertEquals("anonymous", secrets.evidence().get(0).identity());
                assertEquals(200, secrets.evidence().get(0).code());
                assertTrue(secrets.evidence().get(0).url().endsWith("/api/v1/secrets"));
                var anonymousBind = find(report, "KT-RBAC-BIND system:anonymous (unauthenticated clients)");
                assertTrue(
                        anonymousBind.evidence().get(0).requestBody().contains("\"user\":\"system:anonymous\""),
                        anonymousBind.evidence().get(0).requestBody());
                // the SARIF of a real scan has every field SARIF 2.1.0 requires
                var sarif = Files.readString(reports("insecure-fake").resolve(ReportFormat.SARIF.fileName()));
                var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                        .getSchema(getClass().getResourceAsStream("/sarif/sarif-2.1.0-required.schema.json"));
                assertEquals(
                        List.of(),
                        schema.validate(sarif, InputFormat.JSON).stream()
                                .map(Object::toString)
                                .toList());
                var kubeletPods = find(report, "KT-KUBELET-ANON " + secure);
                assertEquals(200, kubeletPods.evidence().get(0).code());
                assertEquals(secure + "/pods", kubeletPods.evidence().get(0).url());
            } finally {
                kubelet.close().await();
            }
        }
    }

    @Test
    void reference() throws Exception {
        var target = ScanTargets.referenceOrSkip();
        var etcd = ReferenceEtcd.start(ReferenceBinaries.locate().binaries(), dir.resolve("etcd"));
        try (var cluster = ScanTargets.start(target, dir, true)) {
            var options = ScanOptions.READ_ONLY
                    .withEtcd(etcd.url())
                    .withAuditLog(ScanTargets.auditLog(dir, target))
                    .withWrites(true);
            var report = scan("reference", cluster.admin(), options);
            var expected = new TreeSet<String>();
            expected.addAll(ADMIN_GRANTS);
            expected.addAll(FRESH_NAMESPACES);
            expected.addAll(HEALTH); // system:public-info-viewer, bound to system:unauthenticated
            expected.add("KT-ANON-AUTH apiserver");
            expected.add(UNTRUSTED);
            // an etcd left open beside the cluster: plain HTTP, no client certificates
            expected.add("KT-ETCD-PLAINTEXT " + etcd.url());
            expected.add("KT-ETCD-NO-CLIENT-CERT " + etcd.url());
            assertEquals(expected, ScanTargets.keys(report));
            assertRefusesPrivileged(report);
        } finally {
            etcd.close();
        }
    }

    /** kube-apiserver's default, --allow-privileged=false, refuses the privileged pod in validation. */
    private static void assertRefusesPrivileged(ScanReport report) {
        assertTrue(
                report.results().stream()
                        .filter(r -> r.check().equals("admission"))
                        .flatMap(r -> r.notes().stream())
                        .anyMatch(n -> n.contains("privileged") && n.contains("disallowed by cluster policy")),
                "the privileged pod is refused (--allow-privileged=false)");
    }

    private static ScanReport scan(String posture, io.kubetwin.pki.Kubeconfig admin, ScanOptions options)
            throws Exception {
        var scanner = Scanner.standard();
        var report = scanner.scan(admin, options);
        var rules = new ArrayList<io.kubetwin.scan.model.Rule>();
        scanner.checks().forEach(c -> rules.addAll(c.rules()));
        var out =
                Path.of(System.getProperty("kubetwin.scan.dir", "target/scan")).resolve(posture);
        Reports.write(report, rules, List.of(ReportFormat.values()), out);
        return report;
    }

    private static Path reports(String posture) {
        return Path.of(System.getProperty("kubetwin.scan.dir", "target/scan")).resolve(posture);
    }

    private static void assertRan(ScanReport report, String... checks) {
        for (var check : checks) {
            var result = report.results().stream()
                    .filter(r -> r.check().equals(check))
                    .findFirst()
                    .orElseThrow();
            assertTrue(!result.skipped(), check + " skipped: " + result.skippedReason());
        }
    }

    private static Finding find(ScanReport report, String key) {
        return report.findings().stream()
                .filter(f -> f.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + key));
    }
}
