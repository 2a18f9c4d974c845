package io.kubetwin.apiserver.flowcontrol;

import java.util.function.LongSupplier;

/**
 * A token bucket as client-go's flowcontrol.NewTokenBucketRateLimiter(qps, burst) (golang.org/x/time/rate
 * underneath): starts full, refills at {@code qps} tokens per second up to {@code burst}. {@link #tryAccept()}
 * is its TryAccept (EventRateLimit admission), {@link #accept()} its blocking Accept (the buffered audit
 * backend's throttle). Thread-safe.
 */
public final class TokenBucket {
    private final double qps;
    private final double burst;
    private final LongSupplier nanoTime;
    private double tokens;
    private long last;

    public TokenBucket(double qps, long burst) {
        this(qps, burst, System::nanoTime);
    }

    /** With a clock of the caller's, in nanoseconds (a test's clock); a clock going backwards adds nothing. */
    public TokenBucket(double qps, long burst, LongSupplier nanoTime) {
        this.qps = qps;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
        this.tokens = this.burst;
        this.last = nanoTime.getAsLong();
    }

    /** Takes a token if one is there now. */
    public synchronized boolean tryAccept() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Takes a token, waiting as long as needed (the token is reserved at once, as rate.Limiter.Wait does). */
    public void accept() throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            refill();
            tokens -= 1;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens / qps * 1e9);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
            last = now;
        }
    }
}
