package io.kubetwin.bench.store;

import io.kubetwin.bench.KeyValueArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link StoreBenchMain}'s options, {@code key=value} arguments (unknown keys are refused); durations and counts
 * are capped so that a run always stops by itself.
 *
 * @param warmup unrecorded load before each measured phase
 * @param measure each measured phase
 * @param maxRequests measured requests per phase at most
 * @param concurrency client counts: each client has its own TLS connection and sends its next request when the
 *     last is answered
 * @param targets {@code fake-etcd}, {@code etcd}
 * @param operations {@code put}, {@code range}, {@code watch}
 * @param valueBytes the size of every value written
 */
public record StoreBenchOptions(
        Path out,
        Path fakeEtcdJar,
        Path etcdBinary,
        Duration warmup,
        Duration measure,
        long maxRequests,
        List<Integer> concurrency,
        List<String> targets,
        List<String> operations,
        int valueBytes) {

    public static final List<String> TARGETS = List.of("fake-etcd", "etcd");
    public static final List<String> OPERATIONS = List.of("put", "range", "watch");
    private static final Set<String> KEYS = Set.of(
            "out",
            "fakeEtcdJar",
            "etcdBinary",
            "warmup",
            "seconds",
            "maxRequests",
            "concurrency",
            "targets",
            "operations",
            "valueBytes");
    private static final Duration MAX_PHASE = Duration.ofMinutes(2);

    public static StoreBenchOptions parse(String... args) {
        Map<String, String> m = KeyValueArgs.parse(args, KEYS, "");
        List<String> targets = list(m.getOrDefault("targets", String.join(",", TARGETS)));
        List<String> operations = list(m.getOrDefault("operations", String.join(",", OPERATIONS)));
        targets.stream().filter(t -> !TARGETS.contains(t)).findFirst().ifPresent(t -> {
            throw new IllegalArgumentException("unknown target " + t + " (known: " + TARGETS + ")");
        });
        operations.stream().filter(o -> !OPERATIONS.contains(o)).findFirst().ifPresent(o -> {
            throw new IllegalArgumentException("unknown operation " + o + " (known: " + OPERATIONS + ")");
        });
        List<Integer> concurrency = list(m.getOrDefault("concurrency", "1,8,32")).stream()
                .map(Integer::parseInt)
                .toList();
        if (concurrency.stream().anyMatch(c -> c < 1 || c > 256)) {
            throw new IllegalArgumentException("concurrency must be between 1 and 256");
        }
        int valueBytes = Integer.parseInt(m.getOrDefault("valueBytes", "512"));
        if (valueBytes < 1 || valueBytes > 1 << 20) {
            throw new IllegalArgumentException("valueBytes must be between 1 and 1 MiB");
        }
        return new StoreBenchOptions(
                Path.of(m.getOrDefault("out", "target/store-bench")),
                m.containsKey("fakeEtcdJar") ? Path.of(m.get("fakeEtcdJar")) : null,
                m.containsKey("etcdBinary") && !m.get("etcdBinary").isBlank() ? Path.of(m.get("etcdBinary")) : null,
                seconds(m.getOrDefault("warmup", "2")),
                seconds(m.getOrDefault("seconds", "10")),
                Math.min(Long.parseLong(m.getOrDefault("maxRequests", "200000")), 10_000_000L),
                concurrency,
                targets,
                operations,
                valueBytes);
    }

    private static Duration seconds(String s) {
        Duration d = Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
        if (d.isNegative() || d.compareTo(MAX_PHASE) > 0) {
            throw new IllegalArgumentException("a phase lasts between 0 and " + MAX_PHASE.toSeconds() + " s");
        }
        return d;
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(x -> !x.isEmpty())
                .toList();
    }
}
