package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.authn.serviceaccount.BoundObject;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountLookup;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountRef;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * Service-account token validation's view of the store (the role of the SA, pod, secret and node
 * getters in pkg/serviceaccount/lookup.go): a token stops working once its account, or the object it
 * is bound to, is gone or was recreated with another UID.
 */
final class StoredServiceAccounts implements ServiceAccountLookup {
    private final Storage storage;

    StoredServiceAccounts(Storage storage) {
        this.storage = storage;
    }

    @Override
    public Future<Optional<ServiceAccountRef>> find(String namespace, String name) {
        return lookup(new ObjectKey("", "serviceaccounts", namespace, name))
                .map(o -> o.map(sa -> {
                    String deletion =
                            sa.path("metadata").path("deletionTimestamp").asText("");
                    return new ServiceAccountRef(
                            namespace,
                            name,
                            sa.path("metadata").path("uid").asText(),
                            deletion.isEmpty() ? null : Instant.parse(deletion));
                }));
    }

    @Override
    public Future<Optional<BoundObject>> findPod(String namespace, String name) {
        return lookup(new ObjectKey("", "pods", namespace, name)).map(o -> o.map(StoredServiceAccounts::bound));
    }

    @Override
    public Future<Optional<BoundObject>> findSecret(String namespace, String name) {
        return lookup(new ObjectKey("", "secrets", namespace, name)).map(o -> o.map(StoredServiceAccounts::bound));
    }

    @Override
    public Future<Optional<BoundObject>> findNode(String name) {
        return lookup(new ObjectKey("", "nodes", "", name)).map(o -> o.map(StoredServiceAccounts::bound));
    }

    private static BoundObject bound(ObjectNode object) {
        String deletion = object.path("metadata").path("deletionTimestamp").asText("");
        return new BoundObject(
                object.path("metadata").path("name").asText(),
                object.path("metadata").path("uid").asText(),
                deletion.isEmpty() ? null : Instant.parse(deletion));
    }

    private Future<Optional<ObjectNode>> lookup(ObjectKey key) {
        return storage.get(key).map(Optional::of).recover(e -> {
            if (e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND) {
                return Future.succeededFuture(Optional.empty());
            }
            return Future.failedFuture(e);
        });
    }
}
