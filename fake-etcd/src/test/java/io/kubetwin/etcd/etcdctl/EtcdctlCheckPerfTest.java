package io.kubetwin.etcd.etcdctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.etcd.server.EtcdFlags;
import io.kubetwin.etcd.server.FakeEtcd;
import io.kubetwin.etcd.server.ZapLog;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.Etcdctl;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdctl v3.6.4's {@code check perf} with its default load {@code s} (etcdctl/ctlv3/command/check.go): 50
 * clients put random 256-byte keys with 1 KiB values under {@code /etcdctl-check-perf/}, at most 150 a second for
 * 60 s, then delete the prefix (no lease, transaction or compaction without {@code --auto-compact}). It prints one
 * line per criterion and a verdict, and exits 1 on FAIL: the throughput above 90% of 150/s, the slowest request
 * at most 0.5 s, the standard deviation of the latencies at most 0.1 s, no request failed. The issue names it among
 * the commands that must work against the fake: here it runs over mTLS against the fake etcd with a
 * {@code --data-dir} (every put fsynced before its answer, group commit) and against the real etcd v3.6.4 on the
 * same machine. The fake must pass, and both must print the same lines apart from the figures. The figures are
 * printed, never asserted, but three of etcdctl's criteria are timings that a busy machine can fail for any store
 * ({@link #TIMING}): a run that failed only those is run once more, and if the fake fails them again, it is judged
 * against etcd on the same machine: a criterion etcd met in each of its runs and the fake did not fails the test;
 * one etcd failed too in a run skips it with both outputs as the reason (and the comparison of outputs is skipped
 * when etcd's last run failed). A failed request always fails the test. Skips without etcdctl. About a minute per
 * store and run: two minutes on a quiet machine, up to four on a busy one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdctlCheckPerfTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);
    /**
     * The criteria that measure the machine as much as the store: a run that failed only these is run once more. On
     * this project's shared 2-core machine (load average 12 to 21) etcd v3.6.4 itself failed the first two in some
     * runs (130 to 134 writes/s, slowest 0.61 s): etcdctl's own rate limiter then issues fewer than 150 puts a
     * second. A failed request is never retried.
     */
    private static final List<String> TIMING =
            List.of("FAIL: Throughput too low", "Slowest request took too long", "Stddev too high");

    @TempDir
    static Path dir;

    static Runs fake;
    static Runs real;

    /** The runs of check perf against one store (a second only after a failure on timing alone). */
    record Runs(List<Etcdctl.Outcome> all) {
        Etcdctl.Outcome last() {
            return all.get(all.size() - 1);
        }

        /** Every criterion failed in any run. */
        List<String> everFailed() {
            return all.stream().flatMap(o -> failures(o).stream()).distinct().toList();
        }
    }

    @Test
    @Order(1)
    void theFakePassesEveryCriterion() throws Exception {
        Etcdctl.Outcome got = fake().last();
        if ("PASS".equals(verdict(got))) {
            assertEquals(0, got.exitCode(), describe("fake etcd", got));
            return;
        }
        List<String> failed = failures(got);
        assertTrue(!failed.isEmpty() && TIMING.containsAll(failed), describe("fake etcd", got));
        // Failed on timing twice: a fault of the fake only if etcd v3.6.4 met that criterion in every run of its own
        // on this machine (when etcd failed it in one, the machine can fail it whatever the store).
        ReferenceBinaries.Located reference = ReferenceBinaries.locate();
        assertTrue(
                reference.binaries() != null,
                "no etcd to compare with (" + reference.reason() + "); " + describe("fake etcd", got));
        List<String> etcdFailed = real(reference).everFailed();
        List<String> onlyTheFake =
                failed.stream().filter(f -> !etcdFailed.contains(f)).toList();
        assertEquals(
                List.of(),
                onlyTheFake,
                "criteria etcd v3.6.4 met in every run on this machine and the fake did not; "
                        + describe("fake etcd", got));
        abort("the fake failed only criteria " + failed + " that etcd v3.6.4 also failed on this machine " + etcdFailed
                + ": the machine is too busy for check perf to tell; " + describe("fake etcd", got));
    }

    @Test
    @Order(2)
    void itPrintsWhatEtcdPrintsApartFromTheFigures() throws Exception {
        Etcdctl.Outcome fakes = fake().last();
        ReferenceBinaries.Located reference = ReferenceBinaries.locate();
        assumeTrue(reference.binaries() != null, reference.reason());
        Etcdctl.Outcome real = real(reference).last();
        if (!"PASS".equals(verdict(real))) {
            abort("the real etcd v3.6.4 itself failed check perf on this machine, so there is no passing output to"
                    + " compare with; " + describe("real etcd", real));
        }
        assertEquals(shape(real.stdout()), shape(fakes.stdout()), describe("real etcd", real));
    }

    private static synchronized Runs fake() throws Exception {
        if (fake == null) {
            fake = checkPerf("fake etcd", endpoint -> {
                ZapLog log = new ZapLog(new PrintStream(new ByteArrayOutputStream()));
                List<String> flags = EtcdctlSuite.memberFlags(
                        dir.resolve("fake.etcd"), portOf(endpoint), EtcdctlSuite.freePort(), creds());
                return FakeEtcd.start(
                        EtcdFlags.parse(flags.toArray(String[]::new)).toConfig(log), log);
            });
        }
        return fake;
    }

    private static synchronized Runs real(ReferenceBinaries.Located reference) throws Exception {
        if (real == null) {
            real = checkPerf("real etcd", endpoint -> {
                int clientPort = portOf(endpoint);
                List<String> command = EtcdctlConformanceTest.command(
                        reference.binaries().etcd(),
                        EtcdctlSuite.memberFlags(
                                dir.resolve("real.etcd"), clientPort, EtcdctlSuite.freePort(), creds()));
                return EtcdProcess.start(
                        command, endpoint, clientPort, dir.resolve("real-etcd.log"), Duration.ofSeconds(30));
            });
        }
        return real;
    }

    /** Starts a member, runs check perf against it (once more when it failed on timing alone), stops it. */
    private static Runs checkPerf(String name, Member member) throws Exception {
        var etcdctl = Etcdctl.locate(); // $KUBETWIN_ETCDCTL, or what ci/reference/build-etcdctl.sh built
        assumeTrue(etcdctl.dir() != null, etcdctl.reason());
        String endpoint = "https://127.0.0.1:" + EtcdctlSuite.freePort();
        EtcdctlSuite.Creds c = creds();
        Etcdctl ctl =
                Etcdctl.of(etcdctl.dir(), endpoint, new KubeApiServerProcess.EtcdClientTls(c.ca(), c.cert(), c.key()));
        try (AutoCloseable started = member.start(endpoint)) {
            List<Etcdctl.Outcome> runs = new ArrayList<>();
            runs.add(ctl.runToEnd(LIMIT, "check", "perf"));
            System.out.println(describe(name, runs.get(0)));
            List<String> failed = failures(runs.get(0));
            if (!failed.isEmpty() && TIMING.containsAll(failed)) {
                System.out.println(name + ": failed on timing alone " + failed + " (a busy machine?); once more");
                runs.add(ctl.runToEnd(LIMIT, "check", "perf"));
                System.out.println(describe(name, runs.get(1)));
            }
            return new Runs(runs);
        }
    }

    @FunctionalInterface
    private interface Member {
        AutoCloseable start(String endpoint) throws Exception;
    }

    private static EtcdctlSuite.Creds creds;

    private static synchronized EtcdctlSuite.Creds creds() {
        if (creds == null) {
            creds = EtcdctlSuite.Creds.create(dir.resolve("pki"));
        }
        return creds;
    }

    private static int portOf(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** The last line: PASS or FAIL (or what etcdctl printed instead, when it could not run the check). */
    private static String verdict(Etcdctl.Outcome o) {
        List<String> lines = o.stdout().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** The criteria that failed, without their figures; the verdict line apart. */
    private static List<String> failures(Etcdctl.Outcome o) {
        return o.stdout()
                .lines()
                .filter(l -> !l.startsWith("PASS") && !l.equals("FAIL"))
                .map(l -> l.replaceAll(":? [0-9].*", ""))
                .toList();
    }

    /** The output with every figure replaced, as etcd's and the fake's are compared. */
    private static List<String> shape(String stdout) {
        return stdout.lines().map(l -> l.replaceAll("[0-9]+(\\.[0-9]+)?", "N")).toList();
    }

    private static String describe(String name, Etcdctl.Outcome o) {
        return "etcdctl check perf against the " + name + ": exit " + o.exitCode() + "\n" + o.stdout()
                + (o.exitCode() == 0 ? "" : "stderr (last 2000 characters):\n" + tail(o.stderr()));
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s : s.substring(s.length() - 2000);
    }
}
