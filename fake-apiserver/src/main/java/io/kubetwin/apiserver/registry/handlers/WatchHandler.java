package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.DeepStack;
import io.kubetwin.apiserver.api.GoStrconv;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.request.WebSocketUpgrade;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
 * {@code timeoutSeconds} (default 1800) or when the client goes away. Tables are streamed when asked for. A
 * request to upgrade to WebSocket (fabric8's watches and informers) gets the same events as text messages.
 */
public final class WatchHandler {
    static final long DEFAULT_TIMEOUT_SECONDS = 1800;
    static final long BOOKMARK_INTERVAL_MS = 60_000;

    /** The serializers of the server that have a stream form, in the codec factory's order. */
    private static final List<String> STREAM_MEDIA_TYPES =
            List.of("application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch");

    private WatchHandler() {}

    /** @param watchList the WatchList feature gate, which validateWatchOptions reads */
    public static void handle(Scope scope, boolean watchList) {
        Predicate<ObjectNode> filter;
        long since;
        long timeoutSeconds;
        try {
            filter = Filters.predicate(scope);
            String timeout = scope.query("timeoutSeconds");
            timeoutSeconds =
                    timeout == null || timeout.isEmpty() ? DEFAULT_TIMEOUT_SECONDS : parse(timeout, "timeoutSeconds");
            checkOptions(scope, watchList);
            String rv = scope.query("resourceVersion");
            since = rv == null || rv.isEmpty() ? -1 : parse(rv, "resourceVersion");
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        if (OutputMediaType.negotiate(scope).mediaType().equals(MediaNegotiation.YAML)) {
            // serveWatchHandler's NegotiateOutputMediaTypeStream: the negotiated serializer needs a stream form, which
            // YAML's has not; the 406 names the stream media types
            Responses.fail(scope.rc(), MediaNegotiation.notAcceptable(STREAM_MEDIA_TYPES));
            return;
        }
        String nameFilter = scope.name();
        Predicate<ObjectNode> matches = nameFilter.isEmpty()
                ? filter
                : filter.and(
                        o -> nameFilter.equals(o.path("metadata").path("name").asText("")));
        HttpServerRequest request = scope.rc().request();
        if (WebSocketUpgrade.requested(request)) {
            overWebSocket(scope, matches, since, timeoutSeconds);
            return;
        }
        HttpServerResponse response = scope.rc().response();
        response.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
        response.headers().remove("Content-Length");
        Stream stream = new Stream(scope, new HttpSink(scope, response));
        response.closeHandler(v -> stream.close());
        request.connection().closeHandler(v -> stream.close());
        run(scope, stream, matches, since, timeoutSeconds);
    }

    /**
     * ValidateListOptions for a watch (apimachinery meta/internalversion/validation validateWatchOptions), after the
     * options are decoded and before the storage reads the resource version: a 422 naming every error.
     */
    private static void checkOptions(Scope scope, boolean watchList) {
        boolean sendInitialEvents = scope.query("sendInitialEvents") != null;
        String match = scope.query("resourceVersionMatch");
        List<FieldError> errors = new ArrayList<>();
        if (sendInitialEvents) {
            if (!"NotOlderThan".equals(match)) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch",
                        "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
            }
            if (!watchList) {
                errors.add(FieldError.forbidden(
                        "sendInitialEvents",
                        "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"));
            }
        }
        if (match != null && !match.isEmpty()) {
            if (!sendInitialEvents) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals("NotOlderThan")) {
                errors.add(FieldError.notSupported("resourceVersionMatch", match, List.of("NotOlderThan")));
            }
            String cont = scope.query("continue");
            if (cont != null && !cont.isEmpty()) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        if (!errors.isEmpty()) {
            throw FieldError.invalid("meta.k8s.io", "ListOptions", "", errors);
        }
    }

    /**
     * The same watch as WebSocket text messages, one event each (watch.go HandleWS with text framing for JSON),
     * after golang.org/x/net/websocket's handshake checks. kube-apiserver hijacks the connection first, so audit
     * records 101 even when the handshake is then refused.
     */
    private static void overWebSocket(Scope scope, Predicate<ObjectNode> matches, long since, long timeoutSeconds) {
        HttpServerResponse response = scope.rc().response();
        response.setStatusCode(101);
        scope.state().protocolSwitched();
        WebSocketUpgrade.Refusal refusal = WebSocketUpgrade.refusal(scope.rc().request());
        if (refusal != null) {
            response.setStatusCode(refusal.code()).setStatusMessage(refusal.reason());
            if (refusal.extraHeader() != null) {
                String[] header = refusal.extraHeader().split(": ", 2);
                response.putHeader(header[0], header[1]);
            }
            // the hijacked connection is closed after the answer
            response.putHeader("Connection", "close");
            scope.rc().request().resume();
            scope.state()
                    .end(scope.rc(), Buffer.buffer(refusal.body()))
                    .onComplete(v -> scope.rc().request().connection().close());
            return;
        }
        // the Go server hijacks the connection: headers set on the response so far (Audit-Id, Cache-Control) do not
        // go out with the 101
        response.headers().clear();
        scope.rc().request().toWebSocket().onSuccess(ws -> {
            Stream stream = new Stream(scope, new WebSocketSink(scope, ws));
            ws.closeHandler(v -> {
                stream.close();
                scope.state().beforeEnd();
            });
            // the client sends nothing (wsstream.IgnoreReceives)
            ws.handler(ignored -> {});
            run(scope, stream, matches, since, timeoutSeconds);
        });
    }

    private static void run(
            Scope scope, Stream stream, Predicate<ObjectNode> matches, long since, long timeoutSeconds) {
        Vertx vertx = scope.rc().vertx();
        Context context = vertx.getOrCreateContext();
        boolean bookmarks =
                "true".equals(scope.query("allowWatchBookmarks")) || "1".equals(scope.query("allowWatchBookmarks"));
        String namespace =
                scope.served().type().namespaced() && !scope.namespace().isEmpty() ? scope.namespace() : null;
        Storage storage = scope.registry().storage();

        // watch_cache.go getAllEventsSinceLocked: sendInitialEvents=true sends the current state whatever the
        // resource version (then, with bookmarks, the initial-events-end bookmark); sendInitialEvents=false at an
        // unset or zero resource version starts from now with no synthetic ADDED events
        String initialEvents = scope.query("sendInitialEvents");
        boolean sendInitialEvents = isGoTrue(initialEvents);
        boolean fromNow = initialEvents != null && !sendInitialEvents && since <= 0;
        var start = (since <= 0 && !fromNow) || sendInitialEvents
                ? storage.list(scope.served().storageKey(), namespace).compose(list -> {
                    for (ObjectNode item : list.items()) {
                        if (matches.test(item)) {
                            stream.send("ADDED", item);
                        }
                    }
                    if (sendInitialEvents && bookmarks) {
                        stream.initialEventsEnd(list.resourceVersion());
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
                        fromNow ? storage.currentResourceVersion() : since,
                        event -> context.runOnContext(v -> stream.deliver(event, matches)));
        start.onSuccess(watch -> {
                    stream.watch.set(watch);
                    if (!stream.closed.get()) {
                        stream.sink.started();
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
                        stream.sink.fail(e);
                    }
                });
    }

    /** strconv.ParseBool's true spellings, as the query parameter conversion reads a *bool. */
    private static boolean isGoTrue(String value) {
        return value != null && List.of("1", "t", "T", "TRUE", "true", "True").contains(value);
    }

    private static long parse(String value, String name) {
        try {
            return GoStrconv.parseInt64(value);
        } catch (NumberFormatException e) {
            throw Statuses.badRequest(e.getMessage());
        }
    }

    /** One open stream, confined to the request's context. */
    private static final class Stream {
        final Scope scope;
        final Sink sink;
        final String table;
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicReference<Storage.Watch> watch = new AtomicReference<>();
        final List<Long> timers = new CopyOnWriteArrayList<>();
        boolean columnsSent;

        Stream(Scope scope, Sink sink) {
            this.scope = scope;
            this.sink = sink;
            this.table = OutputMediaType.tableVersion(scope);
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
            write("BOOKMARK", bookmarkObject(resourceVersion));
        }

        /** The bookmark that ends a watch-list's initial events (metav1.InitialEventsAnnotationKey). */
        void initialEventsEnd(long resourceVersion) {
            ObjectNode o = bookmarkObject(resourceVersion);
            ((ObjectNode) o.get("metadata")).putObject("annotations").put("k8s.io/initial-events-end", "true");
            write("BOOKMARK", o);
        }

        private ObjectNode bookmarkObject(long resourceVersion) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("kind", scope.served().type().kind());
            o.put("apiVersion", scope.served().type().apiVersion());
            // v0.34's ObjectMeta omits a zero creationTimestamp (omitzero): a bookmark has none
            o.putObject("metadata").put("resourceVersion", Long.toString(resourceVersion));
            return o;
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
                // json.Encoder: one line per event, also as one WebSocket message
                sink.write(line);
            } catch (IllegalStateException e) {
                close();
            }
        }

        void end() {
            if (closed.get()) {
                return;
            }
            close();
            sink.end();
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

    /** Where a watch's events go. */
    private interface Sink {
        /** The watch runs: an HTTP stream sends its 200 now (audit's ResponseStarted), not at the first event. */
        void started();

        void write(String line);

        /** The stream ends (timeout): audit's ResponseComplete first, then the end. */
        void end();

        /** The watch could not start. */
        void fail(Throwable e);
    }

    /** A chunked {@code application/json} response. */
    private record HttpSink(Scope scope, HttpServerResponse response) implements Sink {
        @Override
        public void started() {
            if (!response.headWritten()) {
                response.writeHead();
            }
        }

        @Override
        public void write(String line) {
            response.write(line);
        }

        @Override
        public void end() {
            if (!response.ended()) {
                scope.state().beforeEnd().onComplete(v -> {
                    if (!response.ended()) {
                        response.end();
                    }
                });
            }
        }

        @Override
        public void fail(Throwable e) {
            Responses.fail(scope.rc(), e);
        }
    }

    /** Text messages on a WebSocket; the end is a normal close (1000), as the Go server's ws.Close sends. */
    private record WebSocketSink(Scope scope, ServerWebSocket ws) implements Sink {
        @Override
        public void started() {}

        @Override
        public void write(String line) {
            ws.writeTextMessage(line);
        }

        @Override
        public void end() {
            scope.state().beforeEnd().onComplete(v -> {
                if (!ws.isClosed()) {
                    // the server's WebSocket closing timeout is 0: the connection closes right after the close frame,
                    // as the Go server's does, without waiting for the client's
                    ws.close((short) 1000);
                }
            });
        }

        @Override
        public void fail(Throwable e) {
            end();
        }
    }
}
