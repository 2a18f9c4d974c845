package io.kubetwin.apiserver.api;

import io.netty.channel.DefaultEventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Room for JSON nested as deep as Go allows. Go's decoder takes 10,000 levels and Go's stacks grow to 1 GB, so
 * kube-apiserver stores, serves, audits and watches a custom resource nested 9,994 levels deep; the fake's tree
 * code (Jackson's deepCopy and serialisers, managedFields, defaulting, pruning) recurses once or more per level and
 * overflows a thread's default stack at one or two thousand. Work on such a tree runs on a thread with a Go-sized
 * stack instead (reserved address space; only the pages touched are committed). Stateless and thread-safe.
 */
public final class DeepStack {
    /** The stack of a deep-tree thread: enough for every recursive pass over 10,000 levels. */
    public static final long STACK_BYTES = 1L << 30;

    /** Nesting a default stack surely handles; a body nested deeper is handled on a deep-tree thread. */
    static final int SHALLOW_DEPTH = 256;

    private DeepStack() {}

    /** Whether a JSON or YAML body nests brackets deeper than a default stack surely handles. */
    public static boolean deep(Buffer body) {
        if (body == null || body.length() <= 2 * SHALLOW_DEPTH) {
            return false;
        }
        return nesting(body.getBytes()) > SHALLOW_DEPTH;
    }

    /** The deepest bracket nesting outside JSON strings (a cheap bound that needs no parse). */
    static int nesting(byte[] data) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                max = Math.max(max, ++depth);
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return max;
    }

    /**
     * Runs {@code work} on a new deep-tree thread and waits for it, so the caller (an event loop) is held exactly as
     * long as running the work itself would hold it; what {@code work} throws is rethrown here.
     */
    public static void run(Runnable work) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                null,
                () -> {
                    try {
                        work.run();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "kubetwin-deep-tree",
                STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The result of {@code pure} (work without side effects, such as serialising a tree), computed here or, when this
     * thread's stack overflows, again on a deep-tree thread.
     */
    public static <T> T retryDeep(Supplier<T> pure) {
        try {
            return pure.get();
        } catch (StackOverflowError e) {
            AtomicReference<T> result = new AtomicReference<>();
            run(() -> result.set(pure.get()));
            return result.get();
        }
    }

    /**
     * Runs {@code work} on a Vert.x context of its own whose event loop has a deep-tree thread, so that the work and
     * every continuation of the futures it starts (admission, storage, the response, audit) run with room for Go's
     * depth; the loop ends once {@code work} calls the release it is given (when the response has ended).
     */
    public static void runOnDeepContext(Vertx vertx, Consumer<Runnable> work) {
        DefaultEventLoop loop = new DefaultEventLoop(threads("kubetwin-deep-tree"));
        ContextInternal context =
                ((VertxInternal) vertx).contextBuilder().withEventLoop(loop).build();
        Runnable release = () -> loop.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        context.runOnContext(v -> work.accept(release));
    }

    /** Named daemon threads with a deep-tree stack, for executors that serialise stored objects (audit backends). */
    public static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, prefix + "-" + n.incrementAndGet(), STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
    }
}
