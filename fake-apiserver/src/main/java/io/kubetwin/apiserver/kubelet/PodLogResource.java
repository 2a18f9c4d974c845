package io.kubetwin.apiserver.kubelet;

import io.kubetwin.apiserver.api.QueryParameters;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * {@code GET pods/NAME/log}, as pkg/registry/core/pod/rest/log.go and strategy.go LogLocation serve it: the
 * PodLogOptions from the query (validated with upstream's messages), the container (the only one, or the named one,
 * which must exist: {@code container X is not valid for pod Y}), then the pod's node: none assigned is an empty 204;
 * a node that does not exist is upstream's 404 {@code pods "NODE" not found}; otherwise {@code GET
 * https://HOST:PORT/containerLogs/NS/POD/CONTAINER?<options>} on its kubelet, whose text is answered as
 * {@code text/plain}. The kubelet's own errors become the apiserver's generic server responses
 * (NewGenericHttpResponseChecker); an unreachable kubelet is a 500 with the Go client's error. RBAC on
 * {@code pods/log} has already run in the authorization stage. The answer is buffered, except with {@code follow},
 * where the kubelet's stream is copied to the client as it arrives.
 */
public final class PodLogResource implements VirtualResource {
    private static final List<String> FLAGS = List.of("follow", "previous", "timestamps");
    private static final List<String> POSITIVE = List.of("sinceSeconds", "limitBytes");

    private final GenericRegistry registry;
    private final KubeletTransport transport;
    private final List<String> preferredAddressTypes;

    public PodLogResource(GenericRegistry registry, KubeletTransport transport, List<String> preferredAddressTypes) {
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
        return handle(call, null);
    }

    /** With the connection at hand a followed log is streamed ({@link LogFollower}); without, it is buffered. */
    @Override
    public Future<Answer> handle(Call call, RoutingContext rc) {
        QueryParameters query = call.state().query();
        Map<String, String> params = kubeletParams(query, call.name());
        ServedResource pods = registry.catalog().lookup("", "v1", "pods").orElseThrow();
        return registry.get(pods, call.namespace(), call.name()).compose(pod -> {
            String container = PodLocation.validateContainer(pod, query.first("container"), call.name());
            String nodeName = pod.path("spec").path("nodeName").asText("");
            if (nodeName.isEmpty()) {
                return Future.succeededFuture(Answer.raw(204, null, new byte[0]));
            }
            return PodLocation.connection(registry, nodeName, preferredAddressTypes)
                    .compose(at -> params.containsKey("follow") && rc != null
                            ? follow(rc, at, call.namespace(), call.name(), container, params)
                            : fetch(at, call.namespace(), call.name(), container, params));
        });
    }

    private static URI location(
            NodeConnection at, String namespace, String pod, String container, Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(
                "https://" + at.hostPort() + "/containerLogs/" + namespace + "/" + pod + "/" + container + query);
    }

    /** A followed log: the kubelet's answer streamed to the client, or its error as {@link #fetch} reports it. */
    private Future<Answer> follow(
            RoutingContext rc,
            NodeConnection at,
            String namespace,
            String pod,
            String container,
            Map<String, String> params) {
        URI uri = location(at, namespace, pod, container, params);
        var context = Vertx.currentContext();
        var pending = transport.stream(uri, at.hostPort()).thenCompose(response -> {
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                response.body().subscribe(new LogFollower(rc, context));
                return CompletableFuture.completedFuture((Answer) null);
            }
            // an error body is short: collect it, then answer as a buffered request would
            var body = new CompletableFuture<byte[]>();
            response.body().subscribe(new Collect(body));
            return body.thenApply(bytes -> {
                throw kubeletError(response.statusCode(), new String(bytes, StandardCharsets.UTF_8), pod);
            });
        });
        return KubeletTransport.answered(pending, context);
    }

    /** Collects a short body from a publisher. */
    private static final class Collect implements Flow.Subscriber<List<ByteBuffer>> {
        private final CompletableFuture<byte[]> done;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Collect(CompletableFuture<byte[]> done) {
            this.done = done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer b : item) {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(bytes.toByteArray());
        }
    }

    private Future<Answer> fetch(
            NodeConnection at, String namespace, String pod, String container, Map<String, String> params) {
        URI uri = location(at, namespace, pod, container, params);
        var context = Vertx.currentContext();
        var pending = transport.get(uri, at.hostPort()).thenApply(response -> {
            if (response.statusCode() >= 200 && response.statusCode() < 300) {
                return Answer.raw(200, "text/plain", response.body());
            }
            throw kubeletError(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), pod);
        });
        return KubeletTransport.answered(pending, context);
    }

    /** PodLogOptions from the query, checked, as the kubelet's query (url.Values.Encode: sorted keys). */
    static Map<String, String> kubeletParams(QueryParameters query, String name) {
        Map<String, String> out = new TreeMap<>();
        for (String flag : FLAGS) {
            String v = query.first(flag);
            // runtime.Convert_Slice_string_To_bool: only "false" and "0" are false
            if (v != null && !v.equalsIgnoreCase("false") && !v.equals("0")) {
                out.put(flag, "true");
            }
        }
        List<Status.Cause> invalid = new ArrayList<>();
        // validation.ValidatePodLogOptions' order
        for (String number : List.of("tailLines", "limitBytes", "sinceSeconds")) {
            String v = query.first(number);
            if (v == null) {
                continue;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw Statuses.badRequest("strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
            }
            if (POSITIVE.contains(number) && n < 1) {
                invalid.add(new Status.Cause(
                        "FieldValueInvalid", "Invalid value: " + n + ": must be greater than 0", number));
            } else if (n < 0) {
                invalid.add(new Status.Cause(
                        "FieldValueInvalid", "Invalid value: " + n + ": must be greater than or equal to 0", number));
            }
            out.put(number, Long.toString(n));
        }
        if (!invalid.isEmpty()) {
            throw Statuses.invalid("", "PodLogOptions", name, invalid);
        }
        String sinceTime = query.first("sinceTime");
        if (sinceTime != null) {
            out.put("sinceTime", sinceTime);
        }
        return out;
    }

    /** apimachinery errors.NewGenericServerResponse for pods/log, as the reference answers it. */
    static StatusException kubeletError(int code, String body, String pod) {
        String suffix = " ( pods/log " + pod + ")";
        Status.Details details = Status.Details.of("", "pods/log", pod);
        return switch (code) {
            case 401 ->
                new StatusException(Status.failure(
                        401,
                        "Unauthorized",
                        "the server has asked for the client to provide credentials" + suffix,
                        details));
            case 403 -> new StatusException(Status.failure(403, "Forbidden", body + suffix, details));
            case 404 ->
                new StatusException(Status.failure(
                        404, "NotFound", "the server could not find the requested resource" + suffix, details));
            case 500 -> Statuses.internalError(body);
            default ->
                new StatusException(Status.failure(
                        code,
                        "",
                        "the server responded with the status code " + code + " but did not return more information"
                                + suffix,
                        details));
        };
    }
}
