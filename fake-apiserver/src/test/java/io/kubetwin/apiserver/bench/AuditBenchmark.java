package io.kubetwin.apiserver.bench;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.Burst;
import io.kubetwin.apiserver.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What auditing costs: requests per second of the whole fake apiserver (TLS, HTTP/2, RBAC) with auditing off,
 * at Metadata and at RequestResponse into a JSON log file (blocking mode, the upstream default). Not a test: a
 * bounded, self-stopping program (a fixed number of requests per run, each run capped in time), run with
 * <pre>
 * mvn -B -q -pl pki,fake-apiserver test -DskipTests -Paudit-benchmark [-Dbench.requests=20000] [-Dbench.rounds=3]
 * </pre>
 * Each configuration gets a fresh server, a warm-up of a quarter of the requests, then {@code bench.rounds}
 * measured bursts of {@code bench.requests} GETs of one ConfigMap over 4 HTTP/2 connections with 128 requests in
 * flight; the best round is printed (the machine may be shared).
 */
public final class AuditBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Logger.getLogger("").setLevel(Level.WARNING);
        Path dir = Files.createTempDirectory("kubetwin-audit-bench");
        List<String> lines = new ArrayList<>();
        for (String level : new String[] {"off", "Metadata", "RequestResponse"}) {
            double best = run(dir, level, requests, rounds);
            lines.add(String.format(Locale.ROOT, "%-16s %10.0f requests/s", level, best));
            System.out.println(lines.get(lines.size() - 1));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "audit benchmark: %d GETs per round, best of %d rounds, %d cores%n", requests, rounds,
                Runtime.getRuntime().availableProcessors());
        lines.forEach(System.out::println);
        deleteTree(dir);
    }

    private static double run(Path dir, String level, int requests, int rounds) throws Exception {
        ApiServerConfig.Builder config = ApiServerConfig.builder();
        Path log = dir.resolve(level + "/audit.log");
        if (!level.equals("off")) {
            Path policy = Files.writeString(dir.resolve(level + ".yaml"),
                    "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: " + level + "\n");
            config.auditPolicyFile(policy).auditLogPath(log.toString());
        }
        try (TestServer server = TestServer.start(config.build())) {
            server.admin().post("/api/v1/namespaces/default/configmaps",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench\"},\"data\":{\"k\":\"v\"}}");
            Burst burst = new Burst(server.server().url(), server.server().clusterCa().certificatePem(),
                    server.credential("bench", "system:masters"), 4, 128, RUN_LIMIT);
            Burst.Requests get = i -> "/api/v1/namespaces/default/configmaps/bench";
            burst.run(server.vertx(), Math.max(1, requests / 4), "warm-", get).toCompletionStage().toCompletableFuture().get();
            double best = 0;
            for (int r = 0; r < rounds; r++) {
                Burst.Result result = burst.run(server.vertx(), requests, "r" + r + "-", get)
                        .toCompletionStage().toCompletableFuture().get();
                if (result.timedOut() || result.transportErrors() > 0 || !result.codes().keySet().equals(java.util.Set.of(200))) {
                    System.out.println(level + ": round " + r + " incomplete: " + result.codes() + ", "
                            + result.transportErrors() + " transport errors, timed out: " + result.timedOut());
                }
                best = Math.max(best, result.requestsPerSecond());
            }
            return best;
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
