package io.kubetwin.apiserver.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.authn.UserInfo;
import io.kubetwin.apiserver.authz.Attributes;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

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
    private UserInfo user;
    private UserInfo impersonatedUser;
    private Buffer body = Buffer.buffer();
    private boolean bodyTooLarge;
    private final Map<String, String> auditAnnotations = new LinkedHashMap<>();
    private JsonNode requestObject;
    private JsonNode responseObject;
    private Status responseStatus;

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
        return Attributes.of(effectiveUser(), requestInfo);
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
    }

    /** The response body the resource handler produced (audit's responseObject). */
    public JsonNode responseObject() {
        return responseObject;
    }

    public void responseObject(JsonNode object) {
        this.responseObject = object;
    }

    /** The error Status written to the client, or null when the request succeeded (audit's responseStatus). */
    public Status responseStatus() {
        return responseStatus;
    }

    public void responseStatus(Status status) {
        this.responseStatus = status;
    }
}
