package io.kubetwin.bench;

import io.kubetwin.bench.load.Operations;
import io.kubetwin.bench.report.Report;
import io.kubetwin.bench.target.AuditLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BenchMain's options, {@code key=value} arguments (unknown keys are refused). Every duration and count is capped so
 * that a run always stops by itself.
 *
 * @param runs runs per figure (the median and range are over them)
 * @param warmup unrecorded load before each measured phase
 * @param measure each measured phase
 * @param maxRequests measured requests per phase at most
 * @param concurrency the load levels
 * @param targets which of {@link Report#TARGETS} to measure
 * @param operations which of {@link Operations#ALL}
 * @param audits the audit levels of the apiserver targets (the ceiling runs at "off" only)
 * @param bindings RoleBinding counts for the authorization cost (empty: phase skipped)
 * @param startupRuns process starts per start-up figure (0: phase skipped)
 * @param watchers watches of the fan-out
 * @param startTimeout how long a target may take to answer
 * @param bindingsTimeout how long creating the bindings of one target may take in all
 */
public record BenchOptions(
        Path out,
        Path fakeJar,
        int runs,
        Duration warmup,
        Duration measure,
        long maxRequests,
        List<Integer> concurrency,
        List<String> targets,
        List<String> operations,
        List<AuditLevel> audits,
        List<Integer> bindings,
        int startupRuns,
        int watchers,
        Duration startTimeout,
        Duration bindingsTimeout) {

    private static final Set<String> KEYS = Set.of(
            "out",
            "fakeJar",
            "runs",
            "warmup",
            "seconds",
            "maxRequests",
            "concurrency",
            "targets",
            "operations",
            "audit",
            "bindings",
            "bigBindings",
            "startupRuns",
            "watchers",
            "startTimeout",
            "bindingsTimeout");
    private static final int MAX_RUNS = 15;
    private static final long MAX_REQUESTS = 2_000_000;

    public static BenchOptions parse(String... args) {
        Map<String, String> kv = KeyValueArgs.parse(args, KEYS, "true");
        List<Integer> bindings = ints(kv.getOrDefault("bindings", "10,1000,10000"));
        if (Boolean.parseBoolean(kv.getOrDefault("bigBindings", "false"))) {
            bindings = new java.util.ArrayList<>(bindings);
            bindings.add(50_000);
        }
        List<String> targets = list(kv.getOrDefault("targets", String.join(",", Report.TARGETS)));
        for (String t : targets) {
            if (!Report.TARGETS.contains(t)) {
                throw new IllegalArgumentException("unknown target " + t + "; known: " + Report.TARGETS);
            }
        }
        List<String> operations = kv.containsKey("operations")
                ? list(kv.get("operations")).stream()
                        .map(BenchOptions::operation)
                        .toList()
                : Operations.ALL;
        return new BenchOptions(
                Path.of(kv.getOrDefault("out", "bench/target/bench")),
                Path.of(kv.getOrDefault("fakeJar", "fake-apiserver/target/fake-apiserver.jar")),
                Math.min(MAX_RUNS, Math.max(1, Integer.parseInt(kv.getOrDefault("runs", "3")))),
                seconds(kv.getOrDefault("warmup", "5")),
                seconds(kv.getOrDefault("seconds", "10")),
                Math.min(MAX_REQUESTS, Long.parseLong(kv.getOrDefault("maxRequests", "200000"))),
                ints(kv.getOrDefault("concurrency", "1,8,32")),
                targets,
                operations,
                list(kv.getOrDefault("audit", "off,Metadata,RequestResponse")).stream()
                        .map(AuditLevel::parse)
                        .toList(),
                bindings.stream().filter(b -> b > 0 && b <= 50_000).sorted().toList(),
                Math.min(MAX_RUNS, Integer.parseInt(kv.getOrDefault("startupRuns", "3"))),
                Math.min(1000, Integer.parseInt(kv.getOrDefault("watchers", "100"))),
                seconds(kv.getOrDefault("startTimeout", "60")),
                seconds(kv.getOrDefault("bindingsTimeout", "600")));
    }

    /** Short names for the command line: get, list100, list1000, create, sar, watch. */
    static String operation(String shortName) {
        return switch (shortName) {
            case "get" -> Operations.GET;
            case "list100" -> Operations.LIST_100;
            case "list1000" -> Operations.LIST_1000;
            case "create" -> Operations.CREATE;
            case "sar" -> Operations.ACCESS_REVIEW;
            case "watch" -> Operations.WATCH;
            default ->
                throw new IllegalArgumentException(
                        "unknown operation " + shortName + "; known: get, list100, list1000, create, sar, watch");
        };
    }

    public boolean measures(String target) {
        return targets.contains(target);
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }

    private static List<Integer> ints(String s) {
        return list(s).stream().map(Integer::parseInt).toList();
    }

    /** Seconds, fractions allowed, capped at 30 minutes. */
    private static Duration seconds(String s) {
        double v = Math.min(1800, Math.max(0, Double.parseDouble(s)));
        return Duration.ofMillis(Math.round(v * 1000));
    }
}
