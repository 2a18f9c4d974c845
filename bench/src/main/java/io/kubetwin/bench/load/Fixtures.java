package io.kubetwin.bench.load;

import io.kubetwin.bench.target.BenchPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The objects every target gets before it is measured, created by the admin: the bench namespaces, a ClusterRole
 * {@code bench-configmaps} (get, list, watch, create ConfigMaps) bound to the bench user by a RoleBinding in each
 * namespace (RBAC on, no admin rights), 100 and 1,000 ConfigMaps.
 */
public final class Fixtures {
    public static final String NS_100 = "bench-100";
    public static final String NS_1000 = "bench-1000";
    public static final String NS_CREATE = "bench-create";
    public static final String NS_WATCH = "bench-watch";
    public static final String NS_BINDINGS = "bench-bindings";
    static final List<String> NAMESPACES = List.of(NS_100, NS_1000, NS_CREATE, NS_WATCH, NS_BINDINGS);
    private static final int IN_FLIGHT = 16;

    private final HttpClient admin;
    private final String url;

    public Fixtures(HttpClient admin, String url) {
        this.admin = admin;
        this.url = url;
    }

    public static String configMapsPath(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/configmaps";
    }

    public static String configMapPath(String namespace, String name) {
        return configMapsPath(namespace) + "/" + name;
    }

    /** A small ConfigMap (about 300 bytes stored), the same on every target. */
    public static String configMapJson(String namespace, String name, long i) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"index\":\"" + i
                + "\",\"text\":\"the quick brown fox jumps over the lazy dog, the quick brown fox jumps over"
                + " the lazy dog\"}}";
    }

    public void seed() throws IOException, InterruptedException {
        for (String ns : NAMESPACES) {
            namespace(ns);
        }
        clusterRole();
        for (String ns : NAMESPACES) {
            send(
                    "POST",
                    "/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns + "/rolebindings",
                    roleBinding(ns, "bench-user", BenchPki.USER),
                    201);
        }
        createConfigMaps(NS_100, 100);
        createConfigMaps(NS_1000, 1000);
    }

    /** Only what the bindings phase needs: its namespace, the ClusterRole, the user's RoleBinding, one ConfigMap. */
    public void seedBindingsNamespace() throws IOException, InterruptedException {
        namespace(NS_BINDINGS);
        clusterRole();
        send(
                "POST",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS_BINDINGS + "/rolebindings",
                roleBinding(NS_BINDINGS, "bench-user", BenchPki.USER),
                201);
        createConfigMaps(NS_BINDINGS, 1);
    }

    private void namespace(String ns) throws IOException, InterruptedException {
        send(
                "POST",
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}",
                201);
    }

    private void clusterRole() throws IOException, InterruptedException {
        send(
                "POST",
                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
                        + "\"bench-configmaps\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],"
                        + "\"verbs\":[\"get\",\"list\",\"watch\",\"create\"]}]}",
                201);
    }

    /** A RoleBinding of {@code bench-configmaps} to one user. */
    public static String roleBinding(String namespace, String name, String user) {
        return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\""
                + name + "\",\"namespace\":\"" + namespace
                + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                + "\"kind\":\"ClusterRole\",\"name\":\"bench-configmaps\"},\"subjects\":[{\"apiGroup\":"
                + "\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\"" + user + "\"}]}";
    }

    void createConfigMaps(String namespace, int count) throws InterruptedException {
        createAll(count, i -> request("POST", configMapsPath(namespace), configMapJson(namespace, "cm-" + i, i)));
    }

    /**
     * Creates bindings of {@code bench-configmaps} number {@code from} (inclusive) to {@code to} (exclusive), each for
     * another user: RoleBindings in {@link #NS_BINDINGS}, or ClusterRoleBindings; {@value #IN_FLIGHT} at a time;
     * stops at {@code deadlineNanos}. Answers how many were created.
     */
    public int createBindings(boolean cluster, int from, int to, long deadlineNanos) throws InterruptedException {
        return createAll(to - from, i -> {
            if (System.nanoTime() > deadlineNanos) {
                return null;
            }
            String name = "other-" + (from + i);
            String user = "other-user-" + (from + i);
            return cluster
                    ? request(
                            "POST",
                            "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                            clusterRoleBinding(name, user))
                    : request(
                            "POST",
                            "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS_BINDINGS + "/rolebindings",
                            roleBinding(NS_BINDINGS, name, user));
        });
    }

    /** A ClusterRoleBinding of {@code bench-configmaps} to one user. */
    public static String clusterRoleBinding(String name, String user) {
        return "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\""
                + name
                + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":"
                + "\"bench-configmaps\"},\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\","
                + "\"name\":\"" + user + "\"}]}";
    }

    private int createAll(int count, java.util.function.IntFunction<HttpRequest> requests) throws InterruptedException {
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest r = requests.apply(i);
            if (r == null) {
                break;
            }
            inFlight.acquire();
            all.add(admin.sendAsync(r, HttpResponse.BodyHandlers.ofString())
                    .thenApply(HttpResponse::statusCode)
                    .whenComplete((c, e) -> inFlight.release()));
        }
        int created = 0;
        for (CompletableFuture<Integer> f : all) {
            int code = f.join();
            if (code != 201) {
                throw new IllegalStateException("seeding answered HTTP " + code);
            }
            created++;
        }
        return created;
    }

    private HttpRequest request(String method, String path, String json) {
        return HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private void send(String method, String path, String json, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = admin.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** The body {@code client} gets for {@code operation}'s first request (to give the ceiling the same size). */
    public static byte[] sampleBody(HttpClient client, String url, Operation operation)
            throws IOException, InterruptedException {
        return client.send(operation.request(url, 0), HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }
}
