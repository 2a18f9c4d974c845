package io.kubetwin.bench.target;

import java.util.List;

/**
 * Something the load generator can be pointed at: a fake apiserver (process or in-JVM), the reference control plane,
 * or the bare TLS ceiling. Closing it stops it and frees its ports.
 */
public interface Target extends AutoCloseable {
    /** The report column: one of {@link io.kubetwin.bench.report.Report#TARGETS}. */
    String name();

    /** {@code https://127.0.0.1:PORT}, no trailing slash. */
    String url();

    /** The operating-system processes whose resident memory is the target's; empty for in-JVM targets. */
    default List<Long> pids() {
        return List.of();
    }

    @Override
    void close();
}
