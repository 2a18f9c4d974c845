package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The serviceaccount controller (pkg/controller/serviceaccount/serviceaccounts_controller.go): every
 * active namespace gets a ServiceAccount {@code default}, created when the namespace appears and again
 * whenever it is deleted. Terminating namespaces are left alone.
 */
final class ServiceAccountsController extends QueueController {
    static final String NAME = "service-account-controller";
    private static final String DEFAULT = "default";
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");
    private static final ResourceKey SERVICE_ACCOUNTS = new ResourceKey("", "serviceaccounts");

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    ServiceAccountsController(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, NAME);
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(NAMESPACES, (type, ns) -> type == WatchEvent.Type.DELETED ? List.of() : List.of(name(ns))),
                new Source(
                        SERVICE_ACCOUNTS,
                        (type, sa) -> type == WatchEvent.Type.DELETED && DEFAULT.equals(name(sa))
                                ? List.of(sa.path("metadata").path("namespace").asText())
                                : List.of()));
    }

    @Override
    protected Future<Void> sync(String namespace) {
        ServedResource namespaces =
                registry.catalog().lookup("", "v1", "namespaces").orElseThrow();
        ServedResource serviceAccounts =
                registry.catalog().lookup("", "v1", "serviceaccounts").orElseThrow();
        return registry.get(namespaces, "", namespace)
                .compose(ns -> {
                    if (!"Active".equals(ns.path("status").path("phase").asText("Active"))) {
                        return Future.<Void>succeededFuture();
                    }
                    return registry.get(serviceAccounts, namespace, DEFAULT)
                            .<Void>mapEmpty()
                            .recover(missing -> {
                                if (!ControllerIdentity.isNotFound(missing)) {
                                    return Future.failedFuture(missing);
                                }
                                ObjectNode sa = JsonNodeFactory.instance
                                        .objectNode()
                                        .put("apiVersion", "v1")
                                        .put("kind", "ServiceAccount");
                                sa.putObject("metadata").put("name", DEFAULT);
                                return registry.create(serviceAccounts, namespace, sa, identity, false)
                                        .<Void>mapEmpty()
                                        .recover(e -> ControllerIdentity.isAlreadyExists(e)
                                                        || ControllerIdentity.isNotFound(e)
                                                        || ControllerIdentity.isNamespaceTerminating(e)
                                                ? Future.succeededFuture()
                                                : Future.failedFuture(e));
                            });
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    static String name(ObjectNode object) {
        return object.path("metadata").path("name").asText();
    }
}
