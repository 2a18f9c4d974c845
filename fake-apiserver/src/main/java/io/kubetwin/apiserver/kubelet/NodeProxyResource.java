package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.SchemeNamePort;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code nodes/NAME/proxy/PATH}, as pkg/registry/core/node/strategy.go ResourceLocation finds the kubelet: the
 * name is {@code [scheme:]node[:port]} (utilnet.SplitSchemeNamePort; otherwise {@code invalid node request "ID"}),
 * the Node must exist ({@code nodes "N" not found}), and its kubelet address must be proxyable
 * (proxyutil.IsProxyableHostname: no loopback, link-local or interface-local address, else 400 {@code address not
 * allowed}, the apiserver's guard against being used to reach its own host). Then {@code GET} is forwarded to the
 * kubelet with the kubelet client identity and its status, content type and body answered. Other methods, other
 * ports than the kubelet's and streaming are not proxied (501).
 */
public final class NodeProxyResource implements VirtualResource {
    private final GenericRegistry registry;
    private final KubeletTransport transport;
    private final List<String> preferredAddressTypes;

    public NodeProxyResource(GenericRegistry registry, KubeletTransport transport, List<String> preferredAddressTypes) {
        this.registry = registry;
        this.transport = transport;
        this.preferredAddressTypes = List.copyOf(preferredAddressTypes);
    }

    @Override
    public BodyKind bodyKind() {
        return null;
    }

    @Override
    public Future<Answer> handle(Call call) {
        String id = call.name();
        SchemeNamePort target = SchemeNamePort.split(id)
                .orElseThrow(() -> Statuses.badRequest("invalid node request " + GoText.quote(id)));
        String node = target.name();
        String port = target.port();
        ServedResource nodes = registry.catalog().lookup("", "v1", "nodes").orElseThrow();
        var context = Vertx.currentContext();
        return registry.get(nodes, "", node).compose(found -> {
            NodeConnection at = NodeConnection.of(found, preferredAddressTypes)
                    .orElseThrow(() -> Statuses.internalError("no preferred addresses found; known addresses: []"));
            // resolving a host name blocks: off the event loop
            return context.<Void>executeBlocking(() -> {
                        checkProxyable(at.host());
                        return null;
                    })
                    .compose(ok -> forward(call, at, port, context));
        });
    }

    /** proxyutil.IsProxyableIP for every address of the host. */
    static void checkProxyable(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw Statuses.badRequest("lookup " + host + ": no such host");
        }
        for (InetAddress a : addresses) {
            if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMCLinkLocal() || a.isMCNodeLocal()) {
                throw Statuses.badRequest("address not allowed");
            }
        }
    }

    private Future<Answer> forward(Call call, NodeConnection at, String port, io.vertx.core.Context context) {
        if (!"get".equals(call.verb()) || !(port.isEmpty() || port.equals(Integer.toString(at.port())))) {
            return Future.failedFuture(new StatusException(Status.failure(
                    501, "NotImplemented", "the fake apiserver proxies only GET to the kubelet's port", null)));
        }
        String path = call.state().requestInfo().path();
        int proxy = path.indexOf(
                "/proxy",
                path.indexOf("/nodes/") + "/nodes/".length() + call.name().length());
        String rest = path.substring(proxy + "/proxy".length());
        StringBuilder query = new StringBuilder();
        call.state()
                .query()
                .values()
                .forEach((k, vs) -> vs.forEach(v -> query.append(query.length() == 0 ? "?" : "&")
                        .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        URI uri = URI.create("https://" + at.hostPort() + (rest.isEmpty() ? "/" : rest) + query);
        var pending = transport
                .get(uri, at.hostPort())
                .thenApply(r -> Answer.raw(
                        r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body()));
        return KubeletTransport.answered(pending, context);
    }
}
