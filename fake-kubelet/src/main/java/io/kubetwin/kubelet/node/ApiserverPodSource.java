package io.kubetwin.kubelet.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.kubelet.pods.Pod;
import io.kubetwin.kubelet.pods.PodSource;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The pods bound to this node, as the kubelet's apiserver pod source (pkg/kubelet/config/apiserver.go) keeps them:
 * a list of {@code /api/v1/pods?fieldSelector=spec.nodeName=<node>} (the only pod list the Node authorizer lets a
 * kubelet make), then a watch from its resourceVersion, re-listed whenever the watch ends or fails (a second
 * later). Each pod seen is also handed to an observer (the status writer). The pods are served on {@code /pods} with their namespace, name, uid and containers; the fake runs
 * nothing, so every pod counts as running. Thread-safe.
 */
public final class ApiserverPodSource implements PodSource {
    private static final Logger LOG = Logger.getLogger(ApiserverPodSource.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RETRY_MILLIS = 1000;

    private final ApiClient client;
    private final String selector;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Consumer<JsonNode> observer;
    private volatile boolean stopped;

    /** @param observer sees every pod the list and watch deliver (added or modified), e.g. to report its status */
    ApiserverPodSource(ApiClient client, String nodeName, Consumer<JsonNode> observer) {
        this.client = client;
        this.observer = observer;
        this.selector = URLEncoder.encode("spec.nodeName=" + nodeName, StandardCharsets.UTF_8);
    }

    @Override
    public List<Pod> pods() {
        List<Pod> out = new ArrayList<>(pods.values());
        out.sort(Comparator.comparing(Pod::namespace).thenComparing(Pod::name));
        return out;
    }

    /** Lists, then watches until {@link #stop()}; the future completes once the first list is in. */
    CompletableFuture<Void> start() {
        return CompletableFuture.supplyAsync(this::list).thenAccept(rv -> watchFrom(rv));
    }

    void stop() {
        stopped = true;
    }

    /** One list: replaces the pods and answers the list's resourceVersion. */
    private String list() {
        ApiClient.Response r = client.get("/api/v1/pods?fieldSelector=" + selector);
        if (r.code() != 200) {
            throw new IllegalStateException("listing the node's pods answered " + r.code() + ": " + r.body());
        }
        JsonNode list = r.json();
        Map<String, Pod> fresh = new ConcurrentHashMap<>();
        for (JsonNode item : list.path("items")) {
            Pod pod = pod(item);
            fresh.put(key(pod), pod);
            observer.accept(item);
        }
        pods.keySet().retainAll(fresh.keySet());
        pods.putAll(fresh);
        return list.path("metadata").path("resourceVersion").asText("");
    }

    private void watchFrom(String resourceVersion) {
        if (stopped) {
            return;
        }
        client.streamLines(
                        "/api/v1/pods?watch=true&allowWatchBookmarks=false&timeoutSeconds=60&fieldSelector=" + selector
                                + "&resourceVersion=" + resourceVersion,
                        this::event)
                .whenComplete((status, error) -> {
                    if (stopped) {
                        return;
                    }
                    if (error != null && !(error.getCause() instanceof CancellationException)) {
                        LOG.info("watch of the node's pods ended: " + error.getMessage());
                    }
                    relistLater();
                });
    }

    private void relistLater() {
        CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
            try {
                watchFrom(list());
            } catch (RuntimeException e) {
                LOG.info("re-listing the node's pods failed: " + e.getMessage());
                relistLater();
            }
        });
    }

    /** One watch event line: ADDED / MODIFIED / DELETED of a pod, or an ERROR that ends the watch. */
    private void event(String line) {
        if (stopped) {
            throw new CancellationException("pod source stopped");
        }
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException e) {
            return;
        }
        String type = event.path("type").asText("");
        JsonNode object = event.path("object");
        switch (type) {
            case "ADDED", "MODIFIED" -> {
                Pod pod = pod(object);
                pods.put(key(pod), pod);
                observer.accept(object);
            }
            case "DELETED" -> pods.remove(key(pod(object)));
            default -> {}
        }
    }

    private static String key(Pod pod) {
        return pod.namespace() + "/" + pod.name();
    }

    /** What each container "printed": fixed lines naming it, so logs are deterministic. */
    static List<String> logLines(String namespace, String pod, JsonNode container) {
        String name = container.path("name").asText("");
        return List.of(
                "kubetwin fake container " + namespace + "/" + pod + "/" + name + " started",
                "image " + container.path("image").asText("") + ": nothing runs on a fake node",
                "ready");
    }

    /** The container's declared TCP ports (protocol absent means TCP). */
    static List<Integer> tcpPorts(JsonNode container) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode p : container.path("ports")) {
            if (p.path("protocol").asText("TCP").equals("TCP")
                    && p.path("containerPort").canConvertToInt()) {
                ports.add(p.path("containerPort").asInt());
            }
        }
        return ports;
    }

    private static Pod pod(JsonNode item) {
        JsonNode meta = item.path("metadata");
        List<Pod.Container> containers = new ArrayList<>();
        for (JsonNode c : item.path("spec").path("containers")) {
            containers.add(new Pod.Container(
                    c.path("name").asText(""),
                    c.path("image").asText(""),
                    logLines(
                            meta.path("namespace").asText(""), meta.path("name").asText(""), c),
                    tcpPorts(c)));
        }
        return new Pod(
                meta.path("namespace").asText(""),
                meta.path("name").asText(""),
                meta.path("uid").asText(""),
                containers,
                true);
    }
}
