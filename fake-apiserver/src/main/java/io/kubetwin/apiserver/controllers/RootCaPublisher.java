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
 * The root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go): every
 * namespace gets a ConfigMap {@code kube-root-ca.crt} whose {@code ca.crt} is the cluster CA bundle,
 * with upstream's description annotation; it is re-created when deleted and restored when changed.
 */
final class RootCaPublisher extends QueueController {
    static final String NAME = "root-ca-cert-publisher";
    static final String CONFIG_MAP = "kube-root-ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed "
            + "across distributions of Kubernetes clusters.";
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");
    private static final ResourceKey CONFIG_MAPS = new ResourceKey("", "configmaps");

    private final String rootCa;
    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    RootCaPublisher(Vertx vertx, GenericRegistry registry, String rootCaPem) {
        super(vertx, registry, NAME);
        this.rootCa = rootCaPem;
    }

    @Override
    protected List<Source> sources() {
        return List.of(
                new Source(NAMESPACES, (type, ns) -> switch (type) {
                    case ADDED -> List.of(ns.path("metadata").path("name").asText());
                    case MODIFIED ->
                        "Active".equals(ns.path("status").path("phase").asText())
                                ? List.of(ns.path("metadata").path("name").asText())
                                : List.of();
                    case DELETED -> List.of();
                }),
                new Source(
                        CONFIG_MAPS,
                        (type, cm) -> type != WatchEvent.Type.ADDED
                                        && CONFIG_MAP.equals(
                                                cm.path("metadata").path("name").asText())
                                ? List.of(cm.path("metadata").path("namespace").asText())
                                : List.of()));
    }

    @Override
    protected Future<Void> sync(String namespace) {
        ServedResource configMaps =
                registry.catalog().lookup("", "v1", "configmaps").orElseThrow();
        return registry.get(configMaps, namespace, CONFIG_MAP)
                .compose(
                        cm -> {
                            ObjectNode data = cm.path("data") instanceof ObjectNode d ? d : null;
                            boolean upToDate = data != null
                                    && data.size() == 1
                                    && rootCa.equals(data.path("ca.crt").asText(null))
                                    && !cm.path("metadata")
                                            .path("annotations")
                                            .path(DESCRIPTION_ANNOTATION)
                                            .asText("")
                                            .isEmpty();
                            if (upToDate) {
                                return Future.<Void>succeededFuture();
                            }
                            ObjectNode updated = cm.deepCopy();
                            updated.putObject("data").put("ca.crt", rootCa);
                            ObjectNode meta = (ObjectNode) updated.get("metadata");
                            ObjectNode annotations =
                                    meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
                            annotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
                            return registry.update(configMaps, namespace, CONFIG_MAP, updated, "", identity, false)
                                    .<Void>mapEmpty();
                        },
                        missing -> {
                            if (!ControllerIdentity.isNotFound(missing)) {
                                return Future.failedFuture(missing);
                            }
                            ObjectNode cm = JsonNodeFactory.instance
                                    .objectNode()
                                    .put("apiVersion", "v1")
                                    .put("kind", "ConfigMap");
                            cm.putObject("metadata")
                                    .put("name", CONFIG_MAP)
                                    .putObject("annotations")
                                    .put(DESCRIPTION_ANNOTATION, DESCRIPTION);
                            cm.putObject("data").put("ca.crt", rootCa);
                            return registry.create(configMaps, namespace, cm, identity, false)
                                    .<Void>mapEmpty()
                                    .recover(e -> ControllerIdentity.isNotFound(e)
                                                    || ControllerIdentity.isNamespaceTerminating(e)
                                            ? Future.succeededFuture()
                                            : Future.failedFuture(e));
                        });
    }
}
