package io.kubetwin.bench.load;

import java.time.Duration;

/**
 * One bounded load: {@code concurrency} closed-loop workers (each sends its next request when the last is answered),
 * a warm-up that is not recorded, then a measured phase that stops at {@code measure} or after {@code maxRequests}
 * measured requests, whichever comes first.
 */
public record LoadSpec(Duration warmup, Duration measure, long maxRequests, int concurrency) {
    /** No run may be longer than this, whatever was asked. */
    public static final Duration MAX_PHASE = Duration.ofMinutes(2);

    public LoadSpec {
        if (concurrency < 1 || maxRequests < 1) {
            throw new IllegalArgumentException("concurrency and maxRequests must be at least 1");
        }
        warmup = cap(warmup);
        measure = cap(measure);
    }

    private static Duration cap(Duration d) {
        return d.isNegative() ? Duration.ZERO : d.compareTo(MAX_PHASE) > 0 ? MAX_PHASE : d;
    }

    public LoadSpec withConcurrency(int c) {
        return new LoadSpec(warmup, measure, maxRequests, c);
    }
}
