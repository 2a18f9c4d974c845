package io.kubetwin.apiserver.audit.backend;

import java.time.Duration;

/**
 * Batch mode settings (plugin/pkg/audit/buffered BatchConfig), from the {@code --audit-<log|webhook>-batch-*}
 * flags.
 *
 * @param bufferSize events buffered before new ones are dropped
 * @param maxBatchSize events per batch; 1 writes each event as soon as it arrives
 * @param maxBatchWait how long a batch that is not full waits for more events (used when maxBatchSize > 1)
 * @param throttleEnable whether batches are rate-limited by a token bucket of throttleQps and throttleBurst
 * @param asyncDelegate whether batches are delivered concurrently (the webhook) or one after the other (the log)
 */
public record BatchConfig(
        int bufferSize,
        int maxBatchSize,
        Duration maxBatchWait,
        boolean throttleEnable,
        float throttleQps,
        int throttleBurst,
        boolean asyncDelegate) {

    /** The log backend's defaults: buffer 10000, batches of 1, no wait, no throttle, synchronous. */
    public static BatchConfig logDefaults() {
        return new BatchConfig(10000, 1, Duration.ZERO, false, 0, 0, false);
    }

    /** The webhook backend's defaults: buffer 10000, batches of 400, 30s wait, 10 QPS burst 15, concurrent. */
    public static BatchConfig webhookDefaults() {
        return new BatchConfig(10000, 400, Duration.ofSeconds(30), true, 10, 15, true);
    }
}
