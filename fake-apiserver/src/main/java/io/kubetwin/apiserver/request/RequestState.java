package io.kubetwin.apiserver.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.QueryParameters;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything the pipeline stages learn about one request, in one typed object attached to the
 * routing context (the role of request.Context values in kube-apiserver). Stages read and write it
 * through {@link #of(RoutingContext)} only; nothing is kept under ad-hoc string keys.
 *
 * <p>Confined to the request's event-loop context: not thread-safe.
 */
public final class RequestState {
    private static final String KEY = RequestState.class.getName();

    private final String auditId;
    private final Instant receivedAt;
    private RequestInfo requestInfo;
    private QueryParameters query = QueryParameters.EMPTY;
    private UserInfo user;
    private UserInfo impersonatedUser;
    private Buffer body = Buffer.buffer();
    private boolean bodyTooLarge;
    private final Map<String, String> auditAnnotations = new LinkedHashMap<>();
    private JsonNode requestObject;
    private boolean requestObjectIsPatch;
    private JsonNode responseObject;
    private Status responseStatus;
    private final List<Supplier<Future<Void>>> beforeEnd = new ArrayList<>();
    private final List<Runnable> protocolSwitch = new ArrayList<>();
    private final Map<Class<?>, Object> extensions = new HashMap<>();

    private RequestState(String auditId, Instant receivedAt) {
        this.auditId = Objects.requireNonNull(auditId);
        this.receivedAt = Objects.requireNonNull(receivedAt);
    }

    /** Attaches a fresh state; called once per request by the first stage of the chain. */
    public static RequestState attach(RoutingContext rc, String auditId, Instant receivedAt) {
        RequestState state = new RequestState(auditId, receivedAt);
        rc.put(KEY, state);
        return state;
    }

    /** The state of this request; fails if the chain's first stage did not run. */
    public static RequestState of(RoutingContext rc) {
        RequestState state = rc.get(KEY);
        if (state == null) {
            throw new IllegalStateException("request state missing: the handler chain was bypassed");
        }
        return state;
    }

    public String auditId() {
        return auditId;
    }

    public Instant receivedAt() {
        return receivedAt;
    }

    /** The query parameters, parsed once by the first stage as Go parses them. */
    public QueryParameters query() {
        return query;
    }

    public void query(QueryParameters parsed) {
        this.query = Objects.requireNonNull(parsed);
    }

    public RequestInfo requestInfo() {
        return requestInfo;
    }

    public void requestInfo(RequestInfo info) {
        this.requestInfo = info;
    }

    /** The authenticated caller, before impersonation (what audit records as {@code user}). */
    public UserInfo user() {
        return user;
    }

    public void user(UserInfo authenticated) {
        this.user = authenticated;
    }

    /** The impersonated identity, or null when the caller does not impersonate. */
    public UserInfo impersonatedUser() {
        return impersonatedUser;
    }

    public void impersonatedUser(UserInfo impersonated) {
        this.impersonatedUser = impersonated;
    }

    /** The identity the request acts as: the impersonated user when there is one. */
    public UserInfo effectiveUser() {
        return impersonatedUser != null ? impersonatedUser : user;
    }

    /** Authorization attributes of this request for its effective user. */
    public Attributes attributes() {
        return requestInfo.attributesFor(effectiveUser());
    }

    public Buffer body() {
        return body;
    }

    public void body(Buffer received, boolean tooLarge) {
        this.body = received;
        this.bodyTooLarge = tooLarge;
    }

    public boolean bodyTooLarge() {
        return bodyTooLarge;
    }

    /** Adds an audit annotation; like kube-apiserver, the first value written for a key wins. */
    public void annotate(String key, String value) {
        auditAnnotations.putIfAbsent(key, value);
    }

    public Map<String, String> auditAnnotations() {
        return Collections.unmodifiableMap(auditAnnotations);
    }

    /** The decoded request body, as the resource handler read it (audit's requestObject). */
    public JsonNode requestObject() {
        return requestObject;
    }

    public void requestObject(JsonNode object) {
        this.requestObject = object;
        this.requestObjectIsPatch = false;
    }

    /**
     * The raw patch of a patch request, logged as audit's requestObject as sent (upstream LogRequestPatch);
     * unlike {@link #requestObject(JsonNode)}, its metadata does not fill the event's objectRef.
     */
    public void requestPatch(JsonNode patch) {
        this.requestObject = patch;
        this.requestObjectIsPatch = true;
    }

    /** True when {@link #requestObject()} is a raw patch rather than a decoded object. */
    public boolean requestObjectIsPatch() {
        return requestObjectIsPatch;
    }

    /** The response body the resource handler produced (audit's responseObject). */
    public JsonNode responseObject() {
        return responseObject;
    }

    public void responseObject(JsonNode object) {
        this.responseObject = object;
    }

    /**
     * The Status the response carries, when it is a Status body (errors, and delete's Success). Set by the
     * status writer before it writes the body; audit copies it into responseStatus and, at RequestResponse
     * level, logs it as the responseObject when no other responseObject was set.
     */
    public Status responseStatus() {
        return responseStatus;
    }

    public void responseStatus(Status status) {
        this.responseStatus = status;
    }

    /**
     * Registers work that must complete before the response ends (audit's ResponseComplete in blocking
     * modes). Called by pipeline stages on the request's context.
     */
    public void beforeResponseEnd(Supplier<Future<Void>> hook) {
        beforeEnd.add(hook);
    }

    /**
     * Runs the registered before-end work in registration order; the response may end when the future
     * completes (it never fails: a hook's failure is its own business). Whoever ends a response calls this
     * first, normally through {@link #end(RoutingContext, Buffer)}; the status code must be set before.
     */
    public Future<Void> beforeEnd() {
        Future<Void> chain = Future.succeededFuture();
        for (Supplier<Future<Void>> hook : List.copyOf(beforeEnd)) {
            chain = chain.transform(ignored -> hook.get().transform(r -> Future.succeededFuture()));
        }
        beforeEnd.clear();
        return chain;
    }

    /**
     * Registers work for a response that starts by switching protocols (a watch over WebSocket) rather than by
     * writing headers through the response: audit's ResponseStarted.
     */
    public void onProtocolSwitch(Runnable hook) {
        protocolSwitch.add(hook);
    }

    /**
     * The connection switched protocols: kube-apiserver's response writer was hijacked, which its audit records
     * as status 101. The response's status code must be 101 before this is called.
     */
    public void protocolSwitched() {
        List.copyOf(protocolSwitch).forEach(Runnable::run);
        protocolSwitch.clear();
    }

    /** Ends the response with {@code body} once the before-end work is done. */
    public Future<Void> end(RoutingContext rc, Buffer body) {
        if (rc.request().method() == HttpMethod.HEAD) {
            // Go's server answers HEAD with the length the body would have had, and no body
            return beforeEnd()
                    .compose(ignored -> rc.response()
                            .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
                            .end());
        }
        return beforeEnd().compose(ignored -> rc.response().end(body));
    }

    /** Per-request state of a stage that the core does not know (audit's context), keyed by its type. */
    public <T> T extension(Class<T> type) {
        return type.cast(extensions.get(type));
    }

    public <T> void extension(Class<T> type, T value) {
        extensions.put(type, value);
    }
}
