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
 *
 * <p>Fan-out (as the cacher's cachingObject, which serialises an event once per encoding for all its watchers): the
 * store delivers one shared, never-changed event to every watch ({@link Storage#watchShared}); each wire form of it (the
 * event type, the object or its previous state, the served version) is encoded once, by the first watch that needs
 * it, and the line is shared by every other watch through the event's memo. No watch changes what it is given: it
 * converts a shallow copy, and Tables (whose cells and column headers vary per watch) are built from a deep copy.
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
                ? storage.listShared(scope.served().storageKey(), namespace).compose(list -> {
                    for (ObjectNode item : list.items()) {
                        if (matches.test(item)) {
                            stream.send("ADDED", item);
                        }
                    }
                    if (sendInitialEvents && bookmarks) {
                        stream.initialEventsEnd(list.resourceVersion());
                    }
                    return storage.watchShared(
                            scope.served().storageKey(),
                            namespace,
                            list.resourceVersion(),
                            event -> context.runOnContext(v -> stream.deliver(event, matches)));
                })
                : storage.watchShared(
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
                        send("ADDED", event, false);
                    }
                }
                case DELETED -> {
                    if (now || before) {
                        send("DELETED", event, false);
                    }
                }
                case MODIFIED -> {
                    if (now && before) {
                        send("MODIFIED", event, false);
                    } else if (now) {
                        send("ADDED", event, false);
                    } else if (before) {
                        send("DELETED", event, true);
                    }
                }
            }
        }

        /**
         * Sends a shared event's object, or its previous state at the event's version: a Table is built for this
         * watch alone; any other form is encoded once per event for every watch that sends the same form.
         */
        private void send(String type, WatchEvent event, boolean previousAtNewVersion) {
            if (closed.get()) {
                return;
            }
            if (table != null) {
                send(type, snapshot(event, previousAtNewVersion));
                return;
            }
            Line line;
            try {
                line = event.memo()
                        .computeIfAbsent(
                                new WireForm(
                                        type,
                                        previousAtNewVersion,
                                        scope.served().type().apiVersion(),
                                        scope.served().type().kind(),
                                        scope.served().type().plural()),
                                form -> encode(
                                        type,
                                        Conversion.toServedCopy(
                                                scope.served(), snapshot(event, previousAtNewVersion))));
            } catch (UncheckedIOException e) {
                close();
                return;
            }
            write(line);
        }

        /**
         * The object to send, never the shared one itself where anything changes: the previous state restated at the
         * event's version (cache_watcher.go's DELETED for an object that left the selector) is a copy of its top
         * level and metadata.
         */
        private static ObjectNode snapshot(WatchEvent event, boolean previousAtNewVersion) {
            if (!previousAtNewVersion) {
                return event.object();
            }
            ObjectNode old = event.previous().objectNode();
            old.setAll(event.previous());
            ObjectNode metadata = old.objectNode();
            metadata.setAll((ObjectNode) event.previous().get("metadata"));
            metadata.put("resourceVersion", Long.toString(event.resourceVersion()));
            old.set("metadata", metadata);
            return old;
        }

        /** Sends an object that is not this watch's to change (shared with the store or with other watches). */
        void send(String type, ObjectNode object) {
            JsonNode payload;
            if (table != null) {
                // TableOutput converts the object it is given in place
                object = object.deepCopy();
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
                payload = Conversion.toServedCopy(scope.served(), object);
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
            Line line;
            try {
                line = encode(type, object);
            } catch (UncheckedIOException e) {
                close();
                return;
            }
            write(line);
        }

        private void write(Line line) {
            if (closed.get()) {
                return;
            }
            try {
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

    /**
     * One watch event as json.Encoder writes it: one line, also sent as one WebSocket message.
     *
     * @throws UncheckedIOException when it cannot be encoded
     */
    static Line encode(String type, JsonNode object) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", type);
        event.set("object", object);
        String text = DeepStack.retryDeep(() -> {
            try {
                return Responses.JSON.writeValueAsString(event) + "\n";
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new Line(text, Buffer.buffer(text));
    }

    /**
     * An encoded event, shared by the watches that send the same form: the text for WebSocket messages and its UTF-8
     * bytes for HTTP streams (a Vert.x heap buffer is written through a slice of its own each time, so one buffer goes
     * out on any number of connections, from any thread, and is never changed).
     */
    record Line(String text, Buffer bytes) {}

    /** What an event's encoding depends on besides the event: the served version's kind and apiVersion. */
    private record WireForm(String type, boolean previousAtNewVersion, String apiVersion, String kind, String plural) {}

    /** Where a watch's events go. */
    private interface Sink {
        /** The watch runs: an HTTP stream sends its 200 now (audit's ResponseStarted), not at the first event. */
        void started();

        void write(Line line);

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
        public void write(Line line) {
            response.write(line.bytes());
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
        public void write(Line line) {
            ws.writeTextMessage(line.text());
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
