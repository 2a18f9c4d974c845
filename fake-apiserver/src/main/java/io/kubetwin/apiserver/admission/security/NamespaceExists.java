package io.kubetwin.apiserver.admission.security;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;

/**
 * The NamespaceExists plugin (plugin/pkg/admission/namespace/exists/admission.go): a namespaced create,
 * update or delete in a namespace that does not exist gets the client's 404 {@code namespaces "x" not
 * found}. (NamespaceLifecycle, on by default, already does this for creates and updates.)
 */
public final class NamespaceExists implements AdmissionPlugin {
    static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");

    private final Storage storage;

    public NamespaceExists(Storage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "NamespaceExists";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation != Operation.CONNECT;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (a.namespace().isEmpty() || a.isNamespaceKind()) {
            return Future.succeededFuture();
        }
        return storage.get(NAMESPACES.object("", a.namespace()))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(
                        e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                                ? Statuses.notFound("", "namespaces", a.namespace())
                                : Statuses.internalError(e.getMessage())));
    }
}
