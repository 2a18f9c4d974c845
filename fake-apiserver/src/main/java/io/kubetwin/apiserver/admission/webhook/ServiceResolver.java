package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;

/**
 * Where a {@code clientConfig.service} webhook is reached, as kube-apiserver's default resolver decides
 * (k8s.io/kube-aggregator/pkg/apiserver/resolvers.go ResolveCluster): a ClusterIP, NodePort or LoadBalancer Service
 * by its cluster IP and the matching service port; an ExternalName Service by its external name and the webhook's
 * port. TLS always verifies the name {@code <service>.<namespace>.svc}.
 *
 * <p>A fake cluster has nothing behind its cluster IPs, and a test must not send traffic to addresses off this
 * machine, so the fake never dials a cluster IP: a Service annotated {@value #ADDRESS_ANNOTATION}
 * {@code = host:port} is reached at that address instead (the reference ignores the annotation), and any other
 * ClusterIP, NodePort or LoadBalancer Service fails the call with a text saying so (known-divergences). An
 * ExternalName Service naming {@code 127.0.0.1} behaves the same on the fake and the reference.
 */
final class ServiceResolver {
    /** Fake-only: the address a Service's webhooks are really reached at. */
    static final String ADDRESS_ANNOTATION = "kubetwin.io/webhook-address";

    private static final ResourceKey SERVICES = new ResourceKey("", "services");

    private final Storage storage;

    ServiceResolver(Storage storage) {
        this.storage = storage;
    }

    /**
     * The address to connect to.
     *
     * @param serverName the name TLS verifies and the URL shows
     * @param connectHost the host (or IP) really connected to
     */
    record Target(String serverName, String connectHost, int connectPort) {}

    /** Resolves, or fails with the text Go's dialer would report (the reason after {@code Post "<url>": }). */
    Future<Target> resolve(String namespace, String name, int port) {
        String serverName = name + "." + namespace + ".svc";
        return storage.get(SERVICES.object(namespace, name))
                .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                        ? Future.failedFuture(new IllegalStateException("service " + GoText.quote(name) + " not found"))
                        : Future.failedFuture(e))
                .compose(svc -> {
                    String override = svc.path("metadata")
                            .path("annotations")
                            .path(ADDRESS_ANNOTATION)
                            .asText("");
                    JsonNode spec = svc.path("spec");
                    String type = spec.path("type").asText("ClusterIP");
                    String clusterIp = spec.path("clusterIP").asText("");
                    switch (type) {
                        case "ClusterIP", "NodePort", "LoadBalancer" -> {
                            if (type.equals("ClusterIP") && clusterIp.equals("None")) {
                                return Future.failedFuture(
                                        new IllegalStateException("cannot route to service with ClusterIP \"None\""));
                            }
                            for (JsonNode p : spec.path("ports")) {
                                if (p.path("port").asInt() == port && !override.isEmpty()) {
                                    int colon = override.lastIndexOf(':');
                                    return Future.succeededFuture(new Target(
                                            serverName,
                                            override.substring(0, colon),
                                            Integer.parseInt(override.substring(colon + 1))));
                                }
                                if (p.path("port").asInt() == port) {
                                    return Future.failedFuture(new IllegalStateException("the fake does not route to"
                                            + " cluster IP " + clusterIp + " of service " + GoText.quote(name)
                                            + " (annotate the service " + ADDRESS_ANNOTATION + "=host:port)"));
                                }
                            }
                            return Future.failedFuture(new IllegalStateException(
                                    "no service port " + port + " found for service " + GoText.quote(name)));
                        }
                        case "ExternalName" -> {
                            return Future.succeededFuture(new Target(
                                    serverName, spec.path("externalName").asText(""), port));
                        }
                        default -> {
                            return Future.failedFuture(
                                    new IllegalStateException("unsupported service type " + GoText.quote(type)));
                        }
                    }
                });
    }
}
