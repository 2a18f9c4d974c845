package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.DeepStack;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * WATCH (handlers/watch.go serveWatch over the watch cache): a chunked {@code application/json} stream
 * of {@code {"type":...,"object":...}} lines. Without a resourceVersion (or with "0") the current
 * objects come first as ADDED; with one, changes after it come from the store's history, and a version
 * older than the history answers an ERROR event carrying a 410 Expired Status (as the cacher's error
 * watcher does). {@code allowWatchBookmarks} adds periodic BOOKMARKs; the stream ends after
 * {@code timeoutSeconds} (default 1800) or when the client goes away. Tables are streamed when asked for.
 */
public final class WatchHandler {
    static final long DEFAULT_TIMEOUT_SECONDS = 1800;
    static final long BOOKMARK_INTERVAL_MS = 60_000;

    private WatchHandler() {}

    public static void handle(Scope scope) {
        Predicate<ObjectNode> filter;
        long since;
        long timeoutSeconds;
        try {
            filter = Filters.predicate(scope);
            String rv = scope.query("resourceVersion");
            since = rv == null || rv.isEmpty() ? -1 : parse(rv, "resourceVersion");
            String timeout = scope.query("timeoutSeconds");
            timeoutSeconds =
                    timeout == null || timeout.isEmpty() ? DEFAULT_TIMEOUT_SECONDS : parse(timeout, "timeoutSeconds");
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        String nameFilter = scope.name();
        Predicate<ObjectNode> matches = nameFilter.isEmpty()
                ? filter
                : filter.and(
                        o -> nameFilter.equals(o.path("metadata").path("name").asText("")));
        Vertx vertx = scope.rc().vertx();
        Context context = vertx.getOrCreateContext();
        HttpServerResponse response = scope.rc().response();
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
        response.headers().remove("Content-Length");
        String table = OutputMediaType.tableVersion(scope);
        boolean bookmarks =
                "true".equals(scope.query("allowWatchBookmarks")) || "1".equals(scope.query("allowWatchBookmarks"));
        Stream stream = new Stream(scope, response, table);
        String namespace =
                scope.served().type().namespaced() && !scope.namespace().isEmpty() ? scope.namespace() : null;
        Storage storage = scope.registry().storage();

        var start = since <= 0
                ? storage.list(scope.served().storageKey(), namespace).compose(list -> {
                    for (ObjectNode item : list.items()) {
                        if (matches.test(item)) {
                            stream.send("ADDED", item);
                        }
                    }
                    return storage.watch(
                            scope.served().storageKey(),
                            namespace,
                            list.resourceVersion(),
                            event -> context.runOnContext(v -> stream.deliver(event, matches)));
                })
                : storage.watch(
                        scope.served().storageKey(),
                        namespace,
                        since,
                        event -> context.runOnContext(v -> stream.deliver(event, matches)));
        start.onSuccess(watch -> {
                    stream.watch.set(watch);
                    if (!response.headWritten() && !stream.closed.get()) {
                        // serveWatch sends the 200 as soon as the watch runs (audit's ResponseStarted), not at the
                        // first event
                        response.writeHead();
                    }
                    long timer = vertx.setTimer(Math.max(1, timeoutSeconds) * 1000, t -> stream.end());
                    stream.timers.add(timer);
                    if (bookmarks) {
                        stream.timers.add(vertx.setPeriodic(
                                BOOKMARK_INTERVAL_MS, t -> stream.bookmark(storage.currentResourceVersion())));
                    }
                    if (stream.closed.get()) {
                        watch.close();
                    }
                })
                .onFailure(e -> {
                    if (e instanceof StorageException se
                            && se.reason() == StorageException.Reason.TOO_OLD_RESOURCE_VERSION) {
                        stream.sendError(Statuses.gone(se.getMessage()).status());
                        stream.end();
                    } else {
                        Responses.fail(scope.rc(), e);
                    }
                });
        response.closeHandler(v -> stream.close());
        scope.rc().request().connection().closeHandler(v -> stream.close());
    }

    private static long parse(String value, String name) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw Statuses.badRequest("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
        }
    }

    /** One open stream, confined to the request's context. */
    private static final class Stream {
        final Scope scope;
        final HttpServerResponse response;
        final String table;
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicReference<Storage.Watch> watch = new AtomicReference<>();
        final List<Long> timers = new CopyOnWriteArrayList<>();
        boolean columnsSent;

        Stream(Scope scope, HttpServerResponse response, String table) {
            this.scope = scope;
            this.response = response;
            this.table = table;
        }

        /**
         * cache_watcher.go convertToWatchEvent: a change seen through a selector is MODIFIED while it matches
         * before and after, ADDED when it starts matching, and DELETED (the previous state at the new version)
         * when it stops.
         */
        void deliver(WatchEvent event, Predicate<ObjectNode> matches) {
            if (closed.get()) {
                return;
            }
            boolean now = matches.test(event.object());
            boolean before = event.previous() != null && matches.test(event.previous());
            switch (event.type()) {
                case ADDED -> {
                    if (now) {
                        send("ADDED", event.object());
                    }
                }
                case DELETED -> {
                    if (now || before) {
                        send("DELETED", event.object());
                    }
                }
                case MODIFIED -> {
                    if (now && before) {
                        send("MODIFIED", event.object());
                    } else if (now) {
                        send("ADDED", event.object());
                    } else if (before) {
                        ObjectNode old = event.previous();
                        ((ObjectNode) old.get("metadata"))
                                .put("resourceVersion", Long.toString(event.resourceVersion()));
                        send("DELETED", old);
                    }
                }
            }
        }

        void send(String type, ObjectNode object) {
            JsonNode payload;
            if (table != null) {
                ObjectNode meta = JsonNodeFactory.instance.objectNode();
                meta.put(
                        "resourceVersion",
                        object.path("metadata").path("resourceVersion").asText(""));
                payload = TableOutput.table(
                        table,
                        scope.strategy().table(),
                        List.of(object),
                        o -> Conversion.toServed(scope.served(), o),
                        meta,
                        scope.query("includeObject"),
                        !columnsSent,
                        scope.registry().clock().instant());
                columnsSent = true;
            } else {
                payload = Conversion.toServed(scope.served(), object);
            }
            write(type, payload);
        }

        void bookmark(long resourceVersion) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("kind", scope.served().type().kind());
            o.put("apiVersion", scope.served().type().apiVersion());
            o.putObject("metadata")
                    .put("resourceVersion", Long.toString(resourceVersion))
                    .putNull("creationTimestamp");
            write("BOOKMARK", o);
        }

        void sendError(Status status) {
            write("ERROR", Responses.JSON.valueToTree(status));
        }

        private void write(String type, JsonNode object) {
            if (closed.get()) {
                return;
            }
            ObjectNode event = JsonNodeFactory.instance.objectNode();
            event.put("type", type);
            event.set("object", object);
            String line;
            try {
                line = DeepStack.retryDeep(() -> {
                    try {
                        return Responses.JSON.writeValueAsString(event) + "\n";
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                close();
                return;
            }
            try {
                response.write(line);
            } catch (IllegalStateException e) {
                close();
            }
        }

        void end() {
            if (closed.get()) {
                return;
            }
            close();
            if (!response.ended()) {
                // through the before-end work: audit's ResponseComplete is written before the stream's end
                scope.state().beforeEnd().onComplete(v -> {
                    if (!response.ended()) {
                        response.end();
                    }
                });
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                Storage.Watch w = watch.get();
                if (w != null) {
                    w.close();
                }
                for (Long t : timers) {
                    scope.rc().vertx().cancelTimer(t);
                }
            }
        }
    }
}
