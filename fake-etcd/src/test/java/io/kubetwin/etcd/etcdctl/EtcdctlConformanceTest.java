package io.kubetwin.etcd.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.etcd.server.EtcdFlags;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real etcdctl v3.6.4 against the fake etcd and against the real etcd v3.6.4, both started with the same
 * TLS flags on the same 127.0.0.1 ports (one after the other, so member and cluster ids and endpoints are the
 * same): the same assertions hold for both, and their outputs are equal once {@link Normalise} has replaced
 * what legitimately differs. Skips without etcdctl ({@code KUBETWIN_ETCDCTL}) or the reference etcd
 * ({@code KUBETWIN_REFERENCE_BIN}); ci/test.sh exports both.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlConformanceTest {
    @TempDir
    static Path dir;

    static EtcdctlSuite.Creds creds;
    static int clientPort;
    static int peerPort;
    static Map<String, Etcdctl.Result> fake;
    static Map<String, Etcdctl.Result> real;

    @BeforeAll
    static void ports() throws IOException {
        creds = EtcdctlSuite.Creds.create(dir.resolve("pki"));
        clientPort = freePort();
        peerPort = freePort();
    }

    private static int freePort() throws IOException {
        return EtcdctlSuite.freePort();
    }

    private static List<String> flags(Path dataDir) {
        return EtcdctlSuite.memberFlags(dataDir, clientPort, peerPort, creds);
    }

    /** The real etcd's command line: the binary, then the flags the fake was given. */
    static List<String> command(Path binary, List<String> flags) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(flags);
        return command;
    }

    private static String endpoint() {
        return "https://127.0.0.1:" + clientPort;
    }

    static synchronized Map<String, Etcdctl.Result> fake() {
        Path ctl = Etcdctl.binary();
        assumeTrue(ctl != null, "etcdctl not found: set KUBETWIN_ETCDCTL (ci/reference/build-etcdctl.sh builds it)");
        if (fake == null) {
            ZapLog log = new ZapLog(new PrintStream(new ByteArrayOutputStream()));
            try (FakeEtcd etcd = FakeEtcd.start(
                    EtcdFlags.parse(flags(dir.resolve("fake.etcd")).toArray(String[]::new))
                            .toConfig(log),
                    log)) {
                fake = EtcdctlSuite.run(ctl, endpoint(), creds);
            }
        }
        return fake;
    }

    static synchronized Map<String, Etcdctl.Result> real() {
        Path ctl = Etcdctl.binary();
        assumeTrue(ctl != null, "etcdctl not found: set KUBETWIN_ETCDCTL (ci/reference/build-etcdctl.sh builds it)");
        ReferenceBinaries.Located reference = ReferenceBinaries.locate();
        assumeTrue(reference.binaries() != null, reference.reason());
        Path etcdBin = reference.binaries().etcd();
        if (real == null) {
            fake(); // the fake first, then the real one on the same ports
            try (EtcdProcess etcd = EtcdProcess.start(
                    command(etcdBin, flags(dir.resolve("real.etcd"))),
                    endpoint(),
                    clientPort,
                    dir.resolve("real-etcd.log"),
                    Duration.ofSeconds(30))) {
                real = EtcdctlSuite.run(ctl, endpoint(), creds);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return real;
    }

    @Test
    @Order(1)
    void theSuiteAgainstTheFake() {
        assertEtcdBehaviour(fake());
    }

    @Test
    @Order(2)
    void theSameSuiteAgainstRealEtcd() {
        assertEtcdBehaviour(real());
    }

    @Test
    @Order(3)
    void theFakesOutputsAreRealEtcds() throws IOException {
        Map<String, Etcdctl.Result> r = real();
        Map<String, Etcdctl.Result> f = fake();
        List<String> diffs = new ArrayList<>();
        StringBuilder report = new StringBuilder("# etcdctl v3.6.4: fake etcd against etcd v3.6.4\n\n");
        report.append("Normalised before comparing:\n");
        for (var rule : Normalise.RULES) {
            report.append("- `")
                    .append(rule.pattern())
                    .append("` -> `")
                    .append(rule.replacement())
                    .append("`: ")
                    .append(rule.why())
                    .append('\n');
        }
        for (String step : r.keySet()) {
            Etcdctl.Result want = r.get(step);
            Etcdctl.Result got = f.get(step);
            boolean same = want.exitCode() == got.exitCode()
                    && Normalise.apply(want.stdout()).equals(Normalise.apply(got.stdout()))
                    && Normalise.apply(want.stderr()).equals(Normalise.apply(got.stderr()));
            report.append("\n## ").append(step).append(same ? " (same)\n" : " (DIFFERENT)\n");
            report.append("etcd: exit ")
                    .append(want.exitCode())
                    .append("\n```\n")
                    .append(Normalise.apply(want.stdout()))
                    .append(Normalise.apply(want.stderr()))
                    .append("```\n");
            if (!same) {
                diffs.add(step);
                report.append("fake: exit ")
                        .append(got.exitCode())
                        .append("\n```\n")
                        .append(Normalise.apply(got.stdout()))
                        .append(Normalise.apply(got.stderr()))
                        .append("```\n");
            }
        }
        Path out = Path.of("target", "etcdctl-comparison.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertEquals(List.of(), diffs, "steps whose output differs from etcd's; see " + out.toAbsolutePath());
    }

    private void assertEtcdBehaviour(Map<String, Etcdctl.Result> r) {
        assertOut(r, "put", 0, "OK\n");
        assertOut(r, "get", 0, "foo\nbaz\n");
        assertOut(r, "get --prefix", 0, "foo\nbaz\nfoo/a\n1\nfoo/b\n2\n");
        assertOut(r, "get --rev=2", 0, "foo\nbar\n");
        assertOut(r, "get --from-key", 0, "foo/a\n1\nfoo/b\n2\n");
        assertErr(r, "get --rev=99 (future)", "Error: etcdserver: mvcc: required revision is a future revision\n");
        assertOut(r, "del", 0, "1\n");
        assertOut(r, "del of a missing key", 0, "0\n");
        assertOut(r, "txn succeeding", 0, "SUCCESS\n\nOK\n\nfoo\nbaz\n");
        assertErr(r, "put with an empty key", "Error: etcdserver: key is not provided\n");
        assertTrue(r.get("watch --rev=1 --prefix (bounded)").stdout().startsWith("PUT\nfoo\nbar\nPUT\nfoo/a\n1\n"));
        assertTrue(r.get("lease grant").stdout().matches("lease [0-9a-f]{16} granted with TTL\\(600s\\)\n"));
        assertTrue(r.get("lease timetolive --keys").stdout().contains("attached keys([foo/leased])"));
        assertTrue(r.get("lease keep-alive --once").stdout().endsWith("keepalived with TTL(600)\n"));
        assertTrue(r.get("lease timetolive after revoke").stdout().endsWith("already expired\n"));
        assertErr(r, "lease revoke again", "Error: failed to revoke lease (etcdserver: requested lease not found)\n");
        assertErr(r, "put with an unknown lease", "Error: etcdserver: requested lease not found\n");
        assertTrue(r.get("lease grant of a too short TTL").stdout().endsWith("granted with TTL(2s)\n"));
        assertOut(r, "compact", 0, "compacted revision 5\n");
        assertErr(r, "get a compacted revision", "Error: etcdserver: mvcc: required revision has been compacted\n");
        Etcdctl.Result canceled = r.get("watch a compacted revision");
        assertEquals(5, canceled.exitCode(), canceled.toString());
        assertEquals(
                "watch was canceled (etcdserver: mvcc: required revision has been compacted)\n"
                        + "Error: watch is canceled by the server\n",
                canceled.stdout() + canceled.stderr());
        assertTrue(r.get("endpoint health").stdout().contains("is healthy: successfully committed proposal"));
        assertTrue(r.get("member list")
                .stdout()
                .endsWith(", started, default, https://127.0.0.1:" + peerPort + ", https://127.0.0.1:" + clientPort
                        + ", false\n"));
        assertErr(r, "refused without a client certificate", "Error: context deadline exceeded\n");
        assertErr(r, "refused with a certificate from another CA", "Error: context deadline exceeded\n");
    }

    private static void assertOut(Map<String, Etcdctl.Result> r, String step, int code, String stdout) {
        Etcdctl.Result got = r.get(step);
        assertEquals(code, got.exitCode(), step + ": " + got);
        assertEquals(stdout, got.stdout(), step + ": " + got);
    }

    /** A failed command: exit 1, and etcdctl's last stderr line (after the client's own log lines). */
    private static void assertErr(Map<String, Etcdctl.Result> r, String step, String lastLine) {
        Etcdctl.Result got = r.get(step);
        assertEquals(1, got.exitCode(), step + ": " + got);
        assertTrue(got.stderr().endsWith(lastLine), step + ": " + got);
    }
}
