package io.kubetwin.apiserver.bench;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.Burst;
import io.kubetwin.apiserver.testing.TestApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What auditing costs: requests per second of the whole fake apiserver (TLS, HTTP/2, RBAC) with auditing off,
 * at Metadata and at RequestResponse into a JSON log file (blocking mode, the upstream default). Not a test: a
 * bounded, self-stopping program (a fixed number of requests per run, each run capped in time), run with
 * <pre>
 * mvn -B -q -pl pki,fake-apiserver test -DskipTests -Paudit-benchmark [-Dbench.requests=20000] [-Dbench.rounds=5]
 * </pre>
 * Each configuration gets its own server and a warm-up of a quarter of the requests; then {@code bench.rounds}
 * rounds, each sending {@code bench.requests} GETs of one ConfigMap over 4 HTTP/2 connections with 128 requests in
 * flight to each server in turn. The best and the median round are printed (the machine may be shared).
 */
public final class AuditBenchmark {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(2);

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = Integer.getInteger("bench.requests", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Logger.getLogger("").setLevel(Level.WARNING);
        Path dir = Files.createTempDirectory("kubetwin-audit-bench");
        String[] levels = {"off", "Metadata", "RequestResponse"};
        List<Target> targets = new ArrayList<>();
        try {
            for (String level : levels) {
                targets.add(Target.start(dir, level, requests));
            }
            // rounds alternate between the configurations, so that a busy moment of a shared machine hits all alike
            List<List<Double>> rates = new ArrayList<>();
            targets.forEach(t -> rates.add(new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                for (int t = 0; t < targets.size(); t++) {
                    rates.get(t).add(targets.get(t).round(requests, "r" + r + "-"));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%naudit benchmark: %d GETs of one ConfigMap per round, %d rounds, 4 HTTP/2 "
                            + "connections, 128 in flight, %d cores%n",
                    requests,
                    rounds,
                    Runtime.getRuntime().availableProcessors());
            System.out.printf(Locale.ROOT, "%-16s %12s %12s%n", "auditing", "best req/s", "median req/s");
            for (int t = 0; t < targets.size(); t++) {
                List<Double> sorted = rates.get(t).stream().sorted().toList();
                System.out.printf(
                        Locale.ROOT,
                        "%-16s %12.0f %12.0f%n",
                        levels[t],
                        sorted.get(sorted.size() - 1),
                        sorted.get(sorted.size() / 2));
            }
        } finally {
            targets.forEach(Target::close);
            deleteTree(dir);
        }
    }

    /** One fake apiserver with one audit configuration (off, or every request at a level into a JSON log). */
    private record Target(String level, TestApiServer server, Burst burst) implements AutoCloseable {
        static Target start(Path dir, String level, int requests) throws Exception {
            ApiServerConfig.Builder config = ApiServerConfig.builder();
            if (!level.equals("off")) {
                Path policy = Files.writeString(
                        dir.resolve(level + ".yaml"),
                        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: " + level + "\n");
                config.auditPolicyFile(policy)
                        .auditLogPath(dir.resolve(level + "/audit.log").toString());
            }
            TestApiServer server = TestApiServer.start(config.build());
            server.admin()
                    .post(
                            "/api/v1/namespaces/default/configmaps",
                            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"bench\"},\"data\":{\"k\":\"v\"}}");
            Burst burst = new Burst(
                    server.server().url(),
                    server.server().clusterCa().certificatePem(),
                    server.credential("bench", "system:masters"),
                    4,
                    128,
                    RUN_LIMIT);
            Target target = new Target(level, server, burst);
            target.round(Math.max(1, requests / 4), "warm-");
            return target;
        }

        double round(int requests, String prefix) throws Exception {
            Burst.Result result = burst.run(
                            server.vertx(), requests, prefix, i -> "/api/v1/namespaces/default/configmaps/bench")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            if (result.timedOut()
                    || result.transportErrors() > 0
                    || !result.codes().keySet().equals(Set.of(200))) {
                System.out.println(level + ": round " + prefix + " incomplete: " + result.codes() + ", "
                        + result.transportErrors() + " transport errors, timed out: " + result.timedOut());
            }
            System.out.printf(Locale.ROOT, "%-16s %s %8.0f requests/s%n", level, prefix, result.requestsPerSecond());
            return result.requestsPerSecond();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
