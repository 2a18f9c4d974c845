package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two fake apiservers on one etcd over TLS with a client certificate ({@code --etcd-servers},
 * {@code --etcd-cafile}, {@code --etcd-certfile}, {@code --etcd-keyfile}), on the kubetwin fake etcd and on
 * the real etcd v3.6.4: each sees the other's writes with the same resourceVersion (the etcd revision), and
 * its watches hear them; objects are under the keys kube-apiserver v1.34.4 writes (recorded from the
 * reference's etcd), without a resourceVersion (a ConfigMap in the protobuf encoding); a watch from before the server's start gets 410.
 */
class SharedStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"fake-etcd", "etcd"})
    void twoApiserversShareOneStore(String store) throws Exception {
        EtcdTargets.Certs certs = EtcdTargets.Certs.create(dir);
        Path binary = EtcdTargets.realEtcdBinary();
        if (store.equals("etcd")) {
            assumeTrue(binary != null, "reference etcd not found: set KUBETWIN_REFERENCE_BIN (ci/reference)");
        }
        try (EtcdTargets.Target etcd =
                store.equals("etcd") ? EtcdTargets.realEtcd(binary, certs, dir) : EtcdTargets.fakeEtcd(certs)) {
            ApiServerConfig config = ApiServerConfig.builder()
                    .storage(StorageOptions.etcd(certs.connection(etcd.url()), "/registry"))
                    .build();
            try (TestApiServer a = TestApiServer.start(config);
                    TestApiServer b = TestApiServer.start(config)) {
                check(a, b, certs.connection(etcd.url()));
            }
        }
    }

    private static void check(TestApiServer a, TestApiServer b, EtcdConnection etcd) throws Exception {
        ApiClient.Response created = a.admin()
                .post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"metadata\":{\"name\":\"cm1\"},\"data\":{\"k\":\"v1\"}}");
        assertEquals(201, created.code(), created.body());
        String rv = created.json().path("metadata").path("resourceVersion").asText();
        ApiClient.Response seen = b.admin().get("/api/v1/namespaces/default/configmaps/cm1");
        assertEquals(200, seen.code());
        assertEquals(rv, seen.json().path("metadata").path("resourceVersion").asText());
        assertEquals("v1", seen.json().path("data").path("k").asText());

        // b's watch from the create hears a's update
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> watch = b.admin()
                .streamLines(
                        "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=10&resourceVersion=" + rv,
                        line -> {
                            try {
                                events.add(JSON.readTree(line));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        JsonNode updated = null;
        for (int i = 0; i < 100 && updated == null; i++) {
            ApiClient.Response put = a.admin()
                    .put(
                            "/api/v1/namespaces/default/configmaps/cm1",
                            "{\"metadata\":{\"name\":\"cm1\",\"resourceVersion\":\"" + rv
                                    + "\"},\"data\":{\"k\":\"v2\"}}");
            if (put.code() == 200) {
                updated = put.json();
            } else {
                Thread.sleep(50);
            }
        }
        assertTrue(updated != null, "update failed");
        String rv2 = updated.path("metadata").path("resourceVersion").asText();
        assertTrue(Long.parseLong(rv2) > Long.parseLong(rv));
        assertEquals(200, watch.get(30, TimeUnit.SECONDS));
        JsonNode modified = events.stream()
                .filter(e -> e.path("type").asText().equals("MODIFIED")
                        && e.path("object")
                                .path("metadata")
                                .path("name")
                                .asText()
                                .equals("cm1"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no MODIFIED event in " + events));
        assertEquals(
                rv2,
                modified.path("object").path("metadata").path("resourceVersion").asText());
        assertEquals("v2", modified.path("object").path("data").path("k").asText());

        // an optimistic-concurrency conflict between the two servers
        ApiClient.Response stale = b.admin()
                .put(
                        "/api/v1/namespaces/default/configmaps/cm1",
                        "{\"metadata\":{\"name\":\"cm1\",\"resourceVersion\":\"" + rv + "\"},\"data\":{\"k\":\"v3\"}}");
        assertEquals(409, stale.code(), stale.body());
        assertEquals(
                "Operation cannot be fulfilled on configmaps \"cm1\": the object has been modified; please apply your"
                        + " changes to the latest version and try again",
                stale.json().path("message").asText());

        // a watch from before the server started: the watch cache's 410
        List<String> old = new CopyOnWriteArrayList<>();
        b.admin()
                .streamLines("/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1", old::add)
                .get(30, TimeUnit.SECONDS);
        JsonNode error = JSON.readTree(old.get(0));
        assertEquals("ERROR", error.path("type").asText());
        assertEquals(410, error.path("object").path("code").asInt());
        assertTrue(
                error.path("object").path("message").asText().startsWith("too old resource version: 1 ("), old.get(0));

        // more kinds, for the keys
        assertEquals(
                201,
                a.admin()
                        .post("/apis/apps/v1/namespaces/default/deployments", """
                {"metadata":{"name":"d1"},"spec":{"selector":{"matchLabels":{"a":"b"}},
                 "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
                """)
                        .code());
        assertEquals(
                201,
                a.admin()
                        .post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
                {"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
                 "names":{"kind":"Widget","plural":"widgets"},"versions":[{"name":"v1","served":true,"storage":true,
                 "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
                """)
                        .code());
        ApiClient.Response cr = TestApiServer.eventually(
                () -> a.admin()
                        .post(
                                "/apis/example.com/v1/namespaces/default/widgets",
                                "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"}}"),
                r -> r.code() == 201);
        assertEquals(201, cr.code(), cr.body());
        // b serves the CRD a created
        assertEquals(
                200,
                TestApiServer.eventually(
                                () -> b.admin().get("/apis/example.com/v1/namespaces/default/widgets/w1"),
                                r -> r.code() == 200)
                        .code());

        ManagedChannel channel = etcd.open();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            List<String> keys = kv
                    .range(RangeRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("/registry/"))
                            .setRangeEnd(ByteString.copyFromUtf8("/registry0"))
                            .setKeysOnly(true)
                            .build())
                    .getKvsList()
                    .stream()
                    .map(k -> k.getKey().toStringUtf8())
                    .toList();
            for (String expected : List.of(
                    "/registry/configmaps/default/cm1",
                    "/registry/namespaces/kube-system",
                    "/registry/clusterroles/cluster-admin",
                    "/registry/clusterrolebindings/cluster-admin",
                    "/registry/roles/kube-system/extension-apiserver-authentication-reader",
                    "/registry/services/specs/default/kubernetes",
                    "/registry/deployments/default/d1",
                    "/registry/apiregistration.k8s.io/apiservices/v1.apps",
                    "/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com",
                    "/registry/example.com/widgets/default/w1",
                    "/registry/priorityclasses/system-node-critical",
                    "/registry/flowschemas/exempt")) {
                assertTrue(keys.contains(expected), expected + " not in " + keys);
            }
            KeyValue cm = kv.range(RangeRequest.newBuilder()
                            .setKey(ByteString.copyFromUtf8("/registry/configmaps/default/cm1"))
                            .build())
                    .getKvs(0);
            assertEquals(rv2, Long.toString(cm.getModRevision()));
            // a built-in kind: stored in the protobuf encoding, as kube-apiserver stores it
            JsonNode stored =
                    ProtobufDecoder.decode(cm.getValue().toByteArray()).object();
            assertEquals("v2", stored.path("data").path("k").asText());
            assertFalse(stored.path("metadata").has("resourceVersion"), stored.toString());
        } finally {
            channel.shutdownNow();
        }
    }
}
