package io.kubetwin.auth.authz;

/**
 * An authorizer's answer, as k8s.io/apiserver/pkg/authorization/authorizer.Decision plus its reason.
 * RBAC only ever answers Allow or NoOpinion; a union stops at the first Allow or Deny.
 */
public sealed interface Decision {
    String reason();

    record Allow(String reason) implements Decision {}

    record Deny(String reason) implements Decision {}

    record NoOpinion(String reason) implements Decision {}

    static Decision allow(String reason) {
        return new Allow(reason == null ? "" : reason);
    }

    static Decision deny(String reason) {
        return new Deny(reason == null ? "" : reason);
    }

    static Decision noOpinion(String reason) {
        return new NoOpinion(reason == null ? "" : reason);
    }

    default boolean isAllowed() {
        return this instanceof Allow;
    }
}
