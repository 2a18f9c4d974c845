package io.kubetwin.apiserver.admission;

import io.vertx.core.Future;

/**
 * One admission plugin. A plugin overrides {@link #admit} when it mutates (or, as upstream's
 * NamespaceLifecycle, decides in the mutating phase) and {@link #validate} when it only checks.
 * Failures are {@link io.kubetwin.apiserver.api.StatusException}s. Thread-safe; must not block.
 */
public interface AdmissionPlugin {

    /** The plugin's upstream name ("NamespaceLifecycle"), as in --enable-admission-plugins. */
    String name();

    /** Whether the plugin looks at this operation at all (admission.Handler's operation set). */
    boolean handles(Operation operation);

    default Future<Void> admit(AdmissionAttributes attributes) {
        return Future.succeededFuture();
    }

    default Future<Void> validate(AdmissionAttributes attributes) {
        return Future.succeededFuture();
    }
}
