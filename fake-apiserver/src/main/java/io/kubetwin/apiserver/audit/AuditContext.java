package io.kubetwin.apiserver.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.audit.backend.AuditBackend;
import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.EventUser;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.ObjectReference;
import io.kubetwin.apiserver.audit.event.ResponseStatus;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.apiserver.audit.policy.RequestAuditConfig;
import io.kubetwin.apiserver.request.GoRequestPath;
import io.kubetwin.apiserver.request.RequestInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The audit state of one request (pkg/audit/context.go AuditContext): the evaluated policy, the request's
 * metadata captured when the audit stage ran (LogRequestMetadata), the response code once headers are
 * written, and which stages were already processed. Events are built from it and the request's
 * {@link RequestState} when a stage is processed. Confined to the request's context.
 */
final class AuditContext {
    private static final int MAX_USER_AGENT = 1024;
    private static final String TRUNCATED = "...TRUNCATED";

    final RequestAuditConfig config;
    final boolean longRunning;
    private final AuditBackend backend;
    private final Clock clock;
    private final RoutingContext rc;
    private final RequestState state;
    private final Context context;
    private final String requestUri;
    private final String verb;
    private final String userAgent;
    private final List<String> sourceIps;
    private final EventUser user;
    private final ObjectReference objectRef;
    private final boolean withImpersonation;
    private ResponseStatus initialStatus;
    private ResponseStatus panicStatus;
    private int code = -1;
    boolean startedProcessed;
    boolean finished;

    AuditContext(
            RequestAuditConfig config,
            AuditBackend backend,
            Clock clock,
            RoutingContext rc,
            RequestState state,
            boolean longRunning,
            boolean authenticated) {
        this.config = config;
        this.backend = backend;
        this.clock = clock;
        this.rc = rc;
        this.state = state;
        this.context = rc.vertx().getOrCreateContext();
        this.longRunning = longRunning;
        this.withImpersonation = authenticated;
        HttpServerRequest req = rc.request();
        RequestInfo info = state.requestInfo();
        this.requestUri = requestUri(GoRequestPath.of(rc).rawUri());
        this.verb = info == null ? req.method().name().toLowerCase(Locale.ROOT) : info.verb();
        this.userAgent = userAgent(req.getHeader("User-Agent"));
        this.sourceIps = SourceIps.of(
                req.getHeader("X-Forwarded-For"),
                req.getHeader("X-Real-Ip"),
                req.remoteAddress() == null ? null : req.remoteAddress().hostAddress());
        this.user = authenticated ? EventUser.of(state.user()) : EventUser.NONE;
        this.objectRef = info != null && info.resourceRequest()
                ? new ObjectReference(
                        info.resource(),
                        info.namespace(),
                        info.name(),
                        "",
                        info.apiGroup(),
                        info.apiVersion(),
                        "",
                        info.subresource())
                : null;
    }

    /** The response status kube-apiserver starts a failed-authentication event with. */
    void initialStatus(ResponseStatus status) {
        this.initialStatus = status;
    }

    void panic(Throwable t) {
        panicStatus = new ResponseStatus(Status.FAILURE, "APIServer panic'd: " + t, "InternalError", null, 500);
    }

    /** Records the response code, the first time headers are about to be written. */
    void captureCode() {
        if (code < 0) {
            code = rc.response().getStatusCode();
        }
    }

    boolean codeCaptured() {
        return code >= 0;
    }

    /**
     * Builds the stage's event now and hands it to the backend. Completes on the request's context with
     * the backend's answer; at once with true when the policy omits the stage.
     */
    Future<Boolean> process(Stage stage) {
        if (!config.records(stage)) {
            return Future.succeededFuture(true);
        }
        AuditEvent event = event(stage);
        return Future.fromCompletionStage(backend.processEvents(List.of(event)), context)
                .recover(t -> Future.succeededFuture(false));
    }

    AuditEvent event(Stage stage) {
        Instant received = state.receivedAt();
        boolean responded = stage != Stage.REQUEST_RECEIVED;
        AuditEvent.Builder b = AuditEvent.builder()
                .level(config.level())
                .auditId(state.auditId())
                .stage(stage)
                .requestUri(requestUri)
                .verb(verb)
                .user(user)
                .sourceIps(sourceIps)
                .userAgent(userAgent)
                .requestReceivedTimestamp(received)
                .stageTimestamp(responded ? clock.instant() : received)
                .annotations(state.auditAnnotations());
        if (responded && withImpersonation && state.impersonatedUser() != null) {
            b.impersonatedUser(EventUser.of(state.impersonatedUser()));
        }
        JsonNode requestObject = responded ? state.requestObject() : null;
        boolean patch = state.requestObjectIsPatch();
        b.objectRef(requestObject != null && !patch ? enrich(objectRef, requestObject) : objectRef);
        if (responded) {
            b.responseStatus(responseStatus(stage));
            if (requestObject != null && config.level().atLeast(Level.REQUEST)) {
                b.requestObject(patch ? requestObject : withoutManagedFields(requestObject));
            }
            if (config.level().atLeast(Level.REQUEST_RESPONSE)) {
                b.responseObject(responseObject());
            }
        }
        return b.build();
    }

    private ResponseStatus responseStatus(Stage stage) {
        if (stage == Stage.PANIC && panicStatus != null) {
            return panicStatus;
        }
        Status logged = state.responseStatus();
        ResponseStatus base = logged != null ? ResponseStatus.of(logged) : initialStatus;
        if (code < 0) {
            // Nothing was ever written: upstream fakes a success, but keeps a status that was logged.
            return base != null ? base : new ResponseStatus(Status.SUCCESS, "Connection closed early", "", null, 200);
        }
        return base == null ? ResponseStatus.code(code) : base.withCode(code);
    }

    private JsonNode responseObject() {
        JsonNode object = state.responseObject();
        if (object == null && state.responseStatus() != null) {
            object = GoJson.mapper().valueToTree(state.responseStatus());
        }
        return object == null ? null : withoutManagedFields(object);
    }

    /** LogRequestObject: empty name, namespace, uid and resourceVersion come from the body's metadata. */
    private static ObjectReference enrich(ObjectReference ref, JsonNode body) {
        JsonNode meta = body.get("metadata");
        if (ref == null || meta == null || !meta.isObject()) {
            return ref;
        }
        if (ref.namespace().isEmpty()) {
            ref = ref.withNamespace(meta.path("namespace").asText(""));
        }
        if (ref.name().isEmpty()) {
            ref = ref.withName(meta.path("name").asText(""));
        }
        if (ref.uid().isEmpty()) {
            ref = ref.withUid(meta.path("uid").asText(""));
        }
        if (ref.resourceVersion().isEmpty()) {
            ref = ref.withResourceVersion(meta.path("resourceVersion").asText(""));
        }
        return ref;
    }

    /** copyWithoutManagedFields: the object's, its list items' and its Table rows' managedFields go. */
    private JsonNode withoutManagedFields(JsonNode object) {
        if (!config.omitManagedFields() || !object.isObject()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        strip(copy);
        copy.path("items").forEach(AuditContext::strip);
        if ("Table".equals(copy.path("kind").asText())) {
            copy.path("rows").forEach(row -> strip(row.path("object")));
        }
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.get("metadata") instanceof ObjectNode meta) {
            meta.remove("managedFields");
        }
    }

    /** req.URL.RequestURI(): the path and query as sent (an absolute-form target loses scheme and host). */
    private static String requestUri(String uri) {
        if (uri.startsWith("http://") || uri.startsWith("https://")) {
            int slash = uri.indexOf('/', uri.indexOf("//") + 2);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    /** maybeTruncateUserAgent: over 1024 bytes, the first 1024 and {@code ...TRUNCATED}. */
    static String userAgent(String header) {
        if (header == null) {
            return "";
        }
        // Netty hands header bytes over one char per byte; Go counts and slices bytes.
        boolean bytewise = header.chars().allMatch(c -> c < 0x100);
        byte[] bytes =
                bytewise ? header.getBytes(StandardCharsets.ISO_8859_1) : header.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_USER_AGENT) {
            byte[] cut = new byte[MAX_USER_AGENT + TRUNCATED.length()];
            System.arraycopy(bytes, 0, cut, 0, MAX_USER_AGENT);
            System.arraycopy(TRUNCATED.getBytes(StandardCharsets.US_ASCII), 0, cut, MAX_USER_AGENT, TRUNCATED.length());
            bytes = cut;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
