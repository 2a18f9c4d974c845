package io.kubetwin.apiserver.audit.backend;

/**
 * A blocking token-bucket rate limiter, as flowcontrol.NewTokenBucketRateLimiter(qps, burst) used by the
 * buffered backend's throttle: starts full, refills at {@code qps} tokens per second up to {@code burst}.
 * Thread-safe.
 */
final class TokenBucket {
    private final double qps;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(float qps, int burst) {
        this.qps = qps;
        this.burst = Math.max(1, burst);
        this.tokens = this.burst;
        this.last = System.nanoTime();
    }

    /** Takes a token, waiting as long as needed. */
    void accept() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
            last = now;
            tokens -= 1;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / qps * 1e9);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
