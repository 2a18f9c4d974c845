package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.kinds.ServiceNetwork;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The {@code kubernetes} Service in {@code default} with its Endpoints and EndpointSlice, as kube-apiserver's
 * bootstrap controller and lease endpoint reconciler write them at start-up (pkg/controlplane/controller/
 * kubernetesservice, pkg/controlplane/reconcilers): ClusterIP the range's first address, port 443 named
 * https to the server's port. A loopback advertise address gets no Endpoints or EndpointSlice: the
 * reference's reconciler fails validation for it ("may not be in the loopback range") and retries forever.
 */
final class KubernetesService {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private KubernetesService() {}

    static Future<Void> bootstrap(GenericRegistry registry, ServiceNetwork network, String advertiseAddress, int port) {
        ObjectNode service = JSON.objectNode().put("kind", "Service").put("apiVersion", "v1");
        ObjectNode meta = service.putObject("metadata").put("name", "kubernetes");
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec");
        spec.putArray("ports")
                .addObject()
                .put("name", "https")
                .put("protocol", "TCP")
                .put("port", 443)
                .put("targetPort", port);
        spec.put("clusterIP", network.kubernetesServiceIp());
        spec.put("type", "ClusterIP");
        spec.put("sessionAffinity", "None");
        Future<Void> created = create(registry, "", "services", service);
        if (loopback(advertiseAddress)) {
            return created;
        }
        ObjectNode endpoints = JSON.objectNode().put("kind", "Endpoints").put("apiVersion", "v1");
        endpoints
                .putObject("metadata")
                .put("name", "kubernetes")
                .putObject("labels")
                .put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        subset.putArray("addresses").addObject().put("ip", advertiseAddress);
        subset.putArray("ports")
                .addObject()
                .put("name", "https")
                .put("port", port)
                .put("protocol", "TCP");
        ObjectNode slice = JSON.objectNode().put("kind", "EndpointSlice").put("apiVersion", "discovery.k8s.io/v1");
        slice.putObject("metadata")
                .put("name", "kubernetes")
                .putObject("labels")
                .put("kubernetes.io/service-name", "kubernetes");
        slice.put("addressType", advertiseAddress.contains(":") ? "IPv6" : "IPv4");
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(advertiseAddress);
        endpoint.putObject("conditions").put("ready", true);
        slice.putArray("ports")
                .addObject()
                .put("name", "https")
                .put("protocol", "TCP")
                .put("port", port);
        return created.compose(v -> create(registry, "", "endpoints", endpoints))
                .compose(v -> create(registry, "discovery.k8s.io", "endpointslices", slice));
    }

    private static Future<Void> create(GenericRegistry registry, String group, String plural, ObjectNode object) {
        ServedResource served =
                registry.catalog().lookupAnyVersion(group, plural).orElseThrow();
        return registry.create(served, "default", object, ControlPlane.SYSTEM, false)
                .<Void>mapEmpty()
                .recover(e -> e instanceof StatusException se && se.code() == 409
                        ? Future.succeededFuture()
                        : Future.failedFuture(e));
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }
}
