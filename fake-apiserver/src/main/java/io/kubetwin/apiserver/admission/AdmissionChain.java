package io.kubetwin.apiserver.admission;

import io.vertx.core.Future;

/**
 * The admission stage as the resource handlers call it: {@link #admit} (mutating) then, after the
 * registry's own defaulting and validation, {@link #validate}, both before the object is stored.
 * A rejection fails the Future with an {@link io.kubetwin.apiserver.api.StatusException} carrying the
 * Status the client gets; any other failure becomes a 500.
 *
 * <p>Implementations are thread-safe and called on the request's event loop; they must not block.
 */
public interface AdmissionChain {

    /** Mutating phase: may change {@code attributes.object()} in place, or reject. */
    Future<Void> admit(AdmissionAttributes attributes);

    /** Validating phase: may only reject. */
    Future<Void> validate(AdmissionAttributes attributes);

    /** A chain that admits everything unchanged (explicitly chosen, never a silent default). */
    static AdmissionChain noop() {
        return new AdmissionChain() {
            @Override
            public Future<Void> admit(AdmissionAttributes attributes) {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> validate(AdmissionAttributes attributes) {
                return Future.succeededFuture();
            }
        };
    }
}
