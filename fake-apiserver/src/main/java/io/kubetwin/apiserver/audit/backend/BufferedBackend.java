package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.flowcontrol.TokenBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@code --audit-*-mode=batch}: mirrors plugin/pkg/audit/buffered/buffered.go. Events go into a bounded
 * buffer and the caller continues at once; a worker thread collects batches of up to {@code maxBatchSize}
 * events (waiting at most {@code maxBatchWait} for a batch to fill), takes a throttle token, and writes
 * them, or hands them to a pool when the delegate is asynchronous (the webhook). When the buffer is full
 * the event is dropped and reported ({@code audit buffer queue blocked}).
 *
 * <p>{@link #close()} stops accepting events, writes every buffered one, and waits for deliveries in
 * flight; an event handed over after close is reported ({@code audit backend shut down}).
 */
public final class BufferedBackend implements AuditBackend {
    /** How often an idle worker looks whether the backend is closing. */
    private static final long POLL_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final EventSink sink;
    private final BatchConfig config;
    private final ArrayBlockingQueue<AuditEvent> buffer;
    private final TokenBucket throttle;
    private final ExecutorService delegates;
    private final PluginErrors errors = new PluginErrors();
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Thread worker;
    private volatile boolean closed;

    public BufferedBackend(EventSink sink, BatchConfig config) {
        this.sink = sink;
        this.config = config;
        this.buffer = new ArrayBlockingQueue<>(config.bufferSize());
        this.throttle = config.throttleEnable() ? new TokenBucket(config.throttleQps(), config.throttleBurst()) : null;
        this.delegates = config.asyncDelegate()
                ? Executors.newCachedThreadPool(Threads.named("audit-" + sink.name() + "-delivery"))
                : null;
        this.worker = Threads.named("audit-" + sink.name() + "-batcher").newThread(this::run);
        this.worker.start();
    }

    @Override
    public CompletionStage<Boolean> processEvents(List<AuditEvent> events) {
        closeLock.readLock().lock();
        try {
            for (int i = 0; i < events.size(); i++) {
                if (closed) {
                    errors.report("buffered", "audit backend shut down", events.subList(i, events.size()));
                    break;
                }
                if (!buffer.offer(events.get(i))) {
                    errors.report("buffered", "audit buffer queue blocked", events.subList(i, events.size()));
                    break;
                }
            }
        } finally {
            closeLock.readLock().unlock();
        }
        return CompletableFuture.completedFuture(true);
    }

    private void run() {
        while (true) {
            List<AuditEvent> batch = collect();
            if (batch.isEmpty()) {
                if (closed && buffer.isEmpty()) {
                    return;
                }
                continue;
            }
            deliver(batch);
        }
    }

    /**
     * One batch: up to maxBatchSize events, sent once maxBatchWait has passed since the batch was started
     * (a batch never starts empty: an idle period restarts the wait, which spares the busy loop upstream
     * has with a zero wait); without waiting once the backend is closing.
     */
    private List<AuditEvent> collect() {
        List<AuditEvent> batch = new ArrayList<>();
        boolean timed = config.maxBatchSize() > 1;
        long wait = config.maxBatchWait().toNanos();
        long deadline = System.nanoTime() + wait;
        while (batch.size() < config.maxBatchSize()) {
            if (closed) {
                AuditEvent e = buffer.poll();
                if (e == null) {
                    break;
                }
                batch.add(e);
                continue;
            }
            long slice = POLL_SLICE_NANOS;
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (!batch.isEmpty()) {
                        break;
                    }
                    deadline = System.nanoTime() + wait;
                } else {
                    slice = Math.min(slice, left);
                }
            }
            try {
                AuditEvent e = buffer.poll(slice, TimeUnit.NANOSECONDS);
                if (e != null) {
                    batch.add(e);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return batch;
    }

    private void deliver(List<AuditEvent> batch) {
        if (throttle != null) {
            try {
                throttle.accept();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (delegates == null) {
            write(batch);
            return;
        }
        try {
            delegates.execute(() -> write(batch));
        } catch (RejectedExecutionException e) {
            write(batch);
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            sink.write(batch);
        } catch (RuntimeException e) {
            errors.report(sink.name(), String.valueOf(e), batch);
        }
    }

    @Override
    public long missedEvents() {
        return errors.missed() + sink.missedEvents();
    }

    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            closeLock.writeLock().unlock();
        }
        sink.stopRetrying();
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (delegates != null) {
            delegates.shutdown();
            BlockingBackend.awaitQuietly(delegates);
        }
        sink.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return "buffered<" + sink.name() + ">";
    }
}
