package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The ServiceAccounts kube-controller-manager creates in kube-system for its controllers when run with
 * --use-service-account-credentials (the dynamic client builder, k8s.io/controller-manager/pkg/clientbuilder):
 * one per controller it starts, as kube-controller-manager itself. They matter to security tests: the
 * bootstrap policy binds powerful roles to them. The names are those the reference (v1.34.4, all default
 * controllers but the cloud and node-IPAM ones) creates.
 */
final class ControllerServiceAccounts extends QueueController {
    static final List<String> NAMES = List.of(
            "attachdetach-controller",
            "certificate-controller",
            "clusterrole-aggregation-controller",
            "cronjob-controller",
            "daemon-set-controller",
            "deployment-controller",
            "disruption-controller",
            "endpoint-controller",
            "endpointslice-controller",
            "endpointslicemirroring-controller",
            "ephemeral-volume-controller",
            "expand-controller",
            "generic-garbage-collector",
            "horizontal-pod-autoscaler",
            "job-controller",
            "legacy-service-account-token-cleaner",
            "namespace-controller",
            "node-controller",
            "persistent-volume-binder",
            "pod-garbage-collector",
            "pv-protection-controller",
            "pvc-protection-controller",
            "replicaset-controller",
            "replication-controller",
            "resource-claim-controller",
            "resourcequota-controller",
            "root-ca-cert-publisher",
            "service-account-controller",
            "service-cidrs-controller",
            "statefulset-controller",
            "ttl-after-finished-controller",
            "ttl-controller",
            "validatingadmissionpolicy-status-controller",
            "volumeattributesclass-protection-controller");
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");

    ControllerServiceAccounts(Vertx vertx, GenericRegistry registry) {
        super(vertx, registry, "controller-service-accounts");
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(
                NAMESPACES,
                (type, ns) -> ControllerIdentity.KUBE_SYSTEM.equals(
                                ns.path("metadata").path("name").asText())
                        ? List.of(ControllerIdentity.KUBE_SYSTEM)
                        : List.of()));
    }

    @Override
    protected Future<Void> sync(String key) {
        ServedResource serviceAccounts =
                registry.catalog().lookup("", "v1", "serviceaccounts").orElseThrow();
        List<Future<Void>> created = new ArrayList<>();
        for (String name : NAMES) {
            created.add(registry.get(serviceAccounts, ControllerIdentity.KUBE_SYSTEM, name)
                    .<Void>mapEmpty()
                    .recover(missing -> {
                        if (!ControllerIdentity.isNotFound(missing)) {
                            return Future.failedFuture(missing);
                        }
                        ObjectNode sa = JsonNodeFactory.instance
                                .objectNode()
                                .put("apiVersion", "v1")
                                .put("kind", "ServiceAccount");
                        sa.putObject("metadata").put("name", name);
                        return registry.create(
                                        serviceAccounts,
                                        ControllerIdentity.KUBE_SYSTEM,
                                        sa,
                                        ControllerIdentity.controllerManager(),
                                        false)
                                .<Void>mapEmpty()
                                .recover(e -> ControllerIdentity.isAlreadyExists(e)
                                                || ControllerIdentity.isNotFound(e)
                                                || ControllerIdentity.isNamespaceTerminating(e)
                                        ? Future.succeededFuture()
                                        : Future.failedFuture(e));
                    }));
        }
        return Future.all(created).mapEmpty();
    }
}
