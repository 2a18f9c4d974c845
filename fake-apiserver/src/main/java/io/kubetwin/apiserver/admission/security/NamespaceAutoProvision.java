package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The NamespaceAutoProvision plugin (plugin/pkg/admission/namespace/autoprovision/admission.go): creating
 * something in a namespace that does not exist creates the namespace first (not on dry runs). Upstream
 * creates it through its loopback client; here it is written to storage as the namespace registry would
 * store it (name label, {@code kubernetes} finalizer, Active), without managedFields.
 */
public final class NamespaceAutoProvision implements AdmissionPlugin {
    private final Storage storage;
    private final Clock clock;

    public NamespaceAutoProvision(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "NamespaceAutoProvision";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (a.dryRun() || a.namespace().isEmpty() || a.isNamespaceKind()) {
            return Future.succeededFuture();
        }
        String name = a.namespace();
        return storage.get(NamespaceExists.NAMESPACES.object("", name))
                .<Void>mapEmpty()
                .recover(e -> {
                    if (!(e instanceof StorageException se) || se.reason() != StorageException.Reason.NOT_FOUND) {
                        return Future.failedFuture(AdmissionErrors.forbidden(a, e.getMessage()));
                    }
                    return storage.create(NamespaceExists.NAMESPACES.object("", name), namespace(name))
                            .<Void>mapEmpty()
                            .recover(c -> c instanceof StorageException ce
                                            && ce.reason() == StorageException.Reason.ALREADY_EXISTS
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(AdmissionErrors.forbidden(a, c.getMessage())));
                });
    }

    private ObjectNode namespace(String name) {
        ObjectNode ns =
                JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Namespace");
        ObjectNode meta = ns.putObject("metadata")
                .put("name", name)
                .put("uid", UUID.randomUUID().toString())
                .put(
                        "creationTimestamp",
                        clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.putObject("labels").put("kubernetes.io/metadata.name", name);
        ns.putObject("spec").putArray("finalizers").add("kubernetes");
        ns.putObject("status").put("phase", "Active");
        return ns;
    }
}
