package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code --audit-*-mode=blocking} and {@code blocking-strict}: events are written synchronously with respect
 * to the request. kube-apiserver writes them on the request's goroutine; here one dedicated writer thread
 * writes them in arrival order and the returned stage completes after the write, so the audit stage can
 * hold the response until then without blocking an event loop. In blocking mode a failed write is reported
 * and ignored (upstream's ignoreErrors wrapper); in blocking-strict mode it completes with false, which fails
 * a request at RequestReceived.
 */
public final class BlockingBackend implements AuditBackend {
    private final EventSink sink;
    private final boolean strict;
    private final ExecutorService writer;
    private final PluginErrors errors = new PluginErrors();
    private final Object closeLock = new Object();
    private boolean closed;

    public BlockingBackend(EventSink sink, boolean strict) {
        this.sink = sink;
        this.strict = strict;
        this.writer = Executors.newSingleThreadExecutor(Threads.named("audit-" + sink.name() + "-writer"));
    }

    @Override
    public CompletionStage<Boolean> processEvents(List<AuditEvent> events) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                boolean ok;
                try {
                    ok = sink.write(events);
                } catch (RuntimeException e) {
                    errors.report(sink.name(), String.valueOf(e), events);
                    ok = false;
                }
                done.complete(ok || !strict);
            });
        } catch (RejectedExecutionException e) {
            errors.report(sink.name(), "audit backend shut down", events);
            done.complete(!strict);
        }
        return done;
    }

    @Override
    public long missedEvents() {
        return errors.missed() + sink.missedEvents();
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        sink.stopRetrying();
        writer.shutdown();
        awaitQuietly(writer);
        sink.close();
    }

    static void awaitQuietly(ExecutorService executor) {
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.DAYS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return strict ? sink.name() : "ignoreErrors<" + sink.name() + ">";
    }
}
