package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.KeyValue;
import io.etcd.jetcd.api.RangeRequest;
import io.grpc.ManagedChannel;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufEncoder;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.KubeApiServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The values the fake apiserver writes to etcd are the bytes kube-apiserver v1.34.4 writes: both serve one real
 * etcd v3.6.4, the reference under {@code /registry}, the fake under {@code /fake}; the same objects (a corpus with
 * timestamps, quantities, int-or-strings, empty strings, empty maps and lists, bytes) are created through each,
 * and every key both stores (the corpus and the bootstrap objects both write) is compared byte for byte after
 * normalising only what must differ (uids, creation, condition and managedFields times), and a second reference on
 * the fake's prefix answers for each object what the fake answers. Values that differ only in
 * the managedFields the fake's field manager computes are listed (known-divergences, server-side apply); any other
 * difference fails. Each value is first checked to be
 * its own canonical encoding (decoding and encoding it again gives the same bytes), so the comparison of the
 * normalised re-encodings is a comparison of the stored bytes. Then the reference reads everything the fake wrote.
 * Skipped without the reference build.
 */
class ReferenceStoredBytesTest {
    /**
     * Keys whose values differ for reasons other than the encoding (known-divergences): the CRD (apiextensions stores
     * it as v1beta1), and the aggregated ClusterRoles, whose rules the fake's aggregation controller fills where the
     * reference runs here without kube-controller-manager, and the kubernetes Service, whose targetPort is each
     * server's own port; and the Deployment, whose revision annotation and status the fake's deployment controller
     * writes.
     */
    private static final Set<String> DIFFERENT_CONTENT = Set.of(
            "deployments/bytes/d1",
            "apiextensions.k8s.io/customresourcedefinitions/widgets.example.com",
            "clusterroles/admin",
            "clusterroles/edit",
            "clusterroles/view",
            "services/specs/default/kubernetes");

    @TempDir
    Path dir;

    /** The corpus: API path, and body, created through both servers in this order. */
    private static final List<String[]> CORPUS = List.of(
            new String[] {
                "/api/v1/namespaces", "{\"metadata\":{\"name\":\"bytes\",\"labels\":{\"z\":\"\",\"a\":\"1\"}}}"
            },
            new String[] {
                "/api/v1/namespaces/bytes/secrets",
                "{\"metadata\":{\"name\":\"s1\",\"annotations\":{}},\"type\":\"Opaque\",\"data\":{\"b\":\"\",\"a\":\"AAEC/w==\"}}"
            },
            new String[] {
                "/api/v1/namespaces/bytes/configmaps",
                "{\"metadata\":{\"name\":\"c1\",\"labels\":{}},\"data\":{\"empty\":\"\",\"k\":\"v\"},\"binaryData\":{\"bin\":\"3q2+7w==\"},"
                        + "\"immutable\":false}"
            },
            // without kube-controller-manager the reference has no default ServiceAccount (the fake makes one: 409)
            new String[] {"/api/v1/namespaces/bytes/serviceaccounts", "{\"metadata\":{\"name\":\"default\"}}"},
            new String[] {
                "/api/v1/namespaces/bytes/pods",
                "{\"metadata\":{\"name\":\"p1\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"busybox:1.36\",\"args\":[],\"ports\":[{\"name\":\"http\",\"containerPort\":8080}],"
                        + "\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"1Gi\"},\"limits\":{\"cpu\":\"1\"}},"
                        + "\"readinessProbe\":{\"httpGet\":{\"path\":\"/\",\"port\":\"http\",\"scheme\":\"HTTP\"},"
                        + "\"periodSeconds\":10,\"timeoutSeconds\":1,\"successThreshold\":1,\"failureThreshold\":3},"
                        + "\"livenessProbe\":{\"tcpSocket\":{\"port\":8080},\"periodSeconds\":3,\"timeoutSeconds\":1,"
                        + "\"successThreshold\":1,\"failureThreshold\":3},"
                        + "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"runAsUser\":0}}],"
                        + "\"volumes\":[{\"name\":\"e\",\"emptyDir\":{}},{\"name\":\"s\",\"secret\":{\"secretName\":\"s1\","
                        + "\"defaultMode\":420}}],\"terminationGracePeriodSeconds\":0,\"automountServiceAccountToken\":false}}"
            },
            new String[] {
                "/apis/apps/v1/namespaces/bytes/deployments",
                "{\"metadata\":{\"name\":\"d1\"},\"spec\":{\"replicas\":0,\"selector\":{\"matchLabels\":{\"app\":\"d\"}},"
                        + "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"25%\",\"maxUnavailable\":1}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"d\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"nginx:1.25\"}]}}}}"
            },
            new String[] {
                "/api/v1/namespaces/bytes/services",
                "{\"metadata\":{\"name\":\"svc\"},\"spec\":{\"clusterIP\":\"10.96.200.10\",\"selector\":{\"app\":\"web\"},"
                        + "\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":\"http\"},{\"name\":\"raw\",\"port\":81,"
                        + "\"targetPort\":8081}]}}"
            },
            new String[] {
                "/apis/coordination.k8s.io/v1/namespaces/bytes/leases",
                "{\"metadata\":{\"name\":\"l1\"},\"spec\":{\"holderIdentity\":\"me\",\"leaseDurationSeconds\":15,"
                        + "\"acquireTime\":\"2026-12-07T06:00:00.123456Z\",\"renewTime\":\"2026-12-07T06:00:01.000001Z\","
                        + "\"leaseTransitions\":0}}"
            },
            new String[] {
                "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                "{\"metadata\":{\"name\":\"bytes-role\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],"
                        + "\"verbs\":[\"get\"],\"resourceNames\":[]},{\"nonResourceURLs\":[\"/healthz\"],\"verbs\":[\"get\"]}]}"
            },
            new String[] {
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                "{\"metadata\":{\"name\":\"widgets.example.com\"},\"spec\":{\"group\":\"example.com\",\"names\":{\"kind\":\"Widget\","
                        + "\"plural\":\"widgets\",\"singular\":\"widget\",\"listKind\":\"WidgetList\"},\"scope\":\"Namespaced\","
                        + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"schema\":{\"openAPIV3Schema\":"
                        + "{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}]}}"
            });

    private static final String[] CUSTOM_RESOURCE = {
        "/apis/example.com/v1/namespaces/bytes/widgets",
        "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w1\"},"
                + "\"spec\":{\"zeta\":1,\"alpha\":{\"b\":[],\"a\":\"\"}}}"
    };

    @Test
    void theFakeStoresTheBytesTheReferenceStores() throws Exception {
        try (EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
                TestApiServer fake = TestApiServer.start(etcd.fake("/fake").build());
                KubeApiServerProcess ref = etcd.reference("reference").start()) {
            for (ApiClient client : List.of(ref.admin(), fake.admin())) {
                for (String[] c : CORPUS) {
                    ApiClient.Response r = client.post(c[0], c[1]);
                    assertTrue(
                            r.code() == 201 || r.code() == 409 && c[0].endsWith("/serviceaccounts"),
                            c[0] + ": " + r.body());
                }
                ApiClient.Response cr = TestApiServer.eventually(
                        () -> client.post(CUSTOM_RESOURCE[0], CUSTOM_RESOURCE[1]), x -> x.code() != 404);
                assertEquals(201, cr.code(), cr.body());
            }

            // GET and LIST answered in the protobuf encoding, as the reference answers them (uids, times, versions
            // normalised; the custom resource has no protobuf form: JSON, as upstream)
            List<String> protobufPaths = new ArrayList<>();
            for (String[] c : CORPUS) {
                if (!c[0].contains("customresourcedefinitions")) {
                    protobufPaths.add(c[0] + "/"
                            + GoJson.mapper()
                                    .readTree(c[1])
                                    .at("/metadata/name")
                                    .asText());
                    protobufPaths.add(c[0]);
                }
            }
            for (String path : protobufPaths) {
                if (path.equals("/api/v1/namespaces")
                        || path.equals("/apis/rbac.authorization.k8s.io/v1/clusterroles")) {
                    continue; // lists of every namespace and role: the servers' own differ
                }
                if (path.startsWith("/apis/apps/v1/namespaces/bytes/deployments")) {
                    continue; // the fake's deployment controller has written its status, the reference runs none
                }
                ApiClient.BinaryResponse theirs = ref.admin().getBytes(path, PROTOBUF_ACCEPT);
                ApiClient.BinaryResponse ours = fake.admin().getBytes(path, PROTOBUF_ACCEPT);
                assertEquals(200, ours.code(), path);
                assertEquals(theirs.contentType(), ours.contentType(), path);
                assertArrayEquals(answer(path, theirs.body()), answer(path, ours.body()), path);
            }
            ApiClient.BinaryResponse custom = fake.admin().getBytes(CUSTOM_RESOURCE[0], PROTOBUF_ACCEPT);
            assertEquals(
                    ref.admin().getBytes(CUSTOM_RESOURCE[0], PROTOBUF_ACCEPT).contentType(), custom.contentType());

            ManagedChannel channel = etcd.certs().connection(etcd.store().url()).open();
            try {
                Map<String, byte[]> reference = values(channel, "/registry/");
                Map<String, byte[]> fakes = values(channel, "/fake/");
                List<String> compared = new ArrayList<>();
                List<String> different = new ArrayList<>();
                List<String> managedFieldsOnly = new ArrayList<>();
                for (Map.Entry<String, byte[]> e : fakes.entrySet()) {
                    byte[] theirs = reference.get(e.getKey());
                    if (theirs == null) {
                        continue;
                    }
                    compared.add(e.getKey());
                    if (Arrays.equals(
                            normalised(e.getKey(), theirs, false), normalised(e.getKey(), e.getValue(), false))) {
                        continue;
                    }
                    if (Arrays.equals(
                            normalised(e.getKey(), theirs, true), normalised(e.getKey(), e.getValue(), true))) {
                        managedFieldsOnly.add(e.getKey());
                    } else if (!DIFFERENT_CONTENT.contains(e.getKey())) {
                        different.add(e.getKey() + ": "
                                + firstDifference(
                                        "",
                                        GoJson.mapper().readTree(show(normalised(e.getKey(), theirs, true))),
                                        GoJson.mapper().readTree(show(normalised(e.getKey(), e.getValue(), true)))));
                    }
                }
                // the fields the fake's field manager records differ (known-divergences: server-side apply)
                System.out.println(
                        "compared " + compared.size() + " keys; managedFields differ in " + managedFieldsOnly);
                assertEquals(List.of(), different);
                for (String[] c : CORPUS) {
                    // every corpus object was compared
                    String name =
                            GoJson.mapper().readTree(c[1]).at("/metadata/name").asText();
                    assertTrue(compared.stream().anyMatch(k -> k.endsWith("/" + name)), name + " in " + compared);
                }
                assertTrue(compared.contains("example.com/widgets/bytes/w1"), compared.toString());
                assertTrue(compared.size() > 150, "the bootstrap objects are compared too: " + compared.size());
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }

            // a second reference on the fake's prefix reads every object the fake wrote as the fake serves it
            List<String[]> objects = new ArrayList<>(CORPUS);
            objects.add(CUSTOM_RESOURCE);
            List<String> paths = new ArrayList<>();
            List<JsonNode> served = new ArrayList<>();
            for (String[] c : objects) {
                String name =
                        GoJson.mapper().readTree(c[1]).at("/metadata/name").asText();
                String path = c[0] + "/" + name;
                ApiClient.Response r = fake.admin().get(path);
                assertEquals(200, r.code(), path + ": " + r.body());
                paths.add(path);
                served.add(r.json());
            }
            try (KubeApiServerProcess onFake =
                    etcd.reference("on-fake").flags("--etcd-prefix=/fake").start()) {
                for (int i = 0; i < paths.size(); i++) {
                    String path = paths.get(i);
                    // the custom resource is served once the reference established its CRD
                    ApiClient.Response r =
                            TestApiServer.eventually(() -> onFake.admin().get(path), x -> x.code() != 404);
                    assertEquals(200, r.code(), paths.get(i) + ": " + r.body());
                    assertEquals(served.get(i), r.json(), paths.get(i));
                }
            }
        }
    }

    /** What kubectl's typed clients send (client-go's default for built-in kinds). */
    private static final String PROTOBUF_ACCEPT = "application/vnd.kubernetes.protobuf, */*";

    /** A protobuf answer with uids, times and resourceVersions normalised, encoded again (checked canonical). */
    private static byte[] answer(String path, byte[] body) {
        ObjectNode object = ProtobufDecoder.decode(body).object();
        assertArrayEquals(body, ProtobufEncoder.encode(object), path + " is not in its canonical encoding");
        List<JsonNode> objects = new ArrayList<>();
        if (object.has("items")) {
            // the corpus objects only: the servers' own objects differ (the fake publishes kube-root-ca.crt, the
            // reference runs without kube-controller-manager)
            ArrayNode items = object.putArray("items");
            for (JsonNode item : ProtobufDecoder.decode(body).object().path("items")) {
                if (CORPUS.stream()
                        .anyMatch(c -> c[1].contains(
                                "\"name\":\"" + item.at("/metadata/name").asText() + "\""))) {
                    items.add(item);
                }
            }
            items.forEach(objects::add);
            ((ObjectNode) object.path("metadata")).put("resourceVersion", "1");
        } else {
            objects.add(object);
        }
        for (JsonNode o : objects) {
            ObjectNode m = (ObjectNode) o.path("metadata");
            m.put("uid", "00000000-0000-0000-0000-000000000000");
            m.put("resourceVersion", "1");
            m.put("creationTimestamp", "2000-01-01T00:00:00Z");
            m.remove("managedFields"); // the field manager's differences are listed by the storage comparison
        }
        return ProtobufEncoder.encode(object);
    }

    /** Every value under {@code prefix}, by the key without it. */
    private static Map<String, byte[]> values(ManagedChannel channel, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        List<KeyValue> kvs = KVGrpc.newBlockingStub(channel)
                .range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFrom(p))
                        .setRangeEnd(ByteString.copyFrom(EtcdStorage.prefixEnd(p)))
                        .build())
                .getKvsList();
        Map<String, byte[]> out = new TreeMap<>();
        for (KeyValue kv : kvs) {
            out.put(
                    kv.getKey().toStringUtf8().substring(prefix.length()),
                    kv.getValue().toByteArray());
        }
        return out;
    }

    /**
     * The value with uid and times replaced (and managedFields removed when asked), encoded again as it was stored (protobuf, or JSON with a newline),
     * after checking that the stored bytes are that encoding's own.
     */
    private static byte[] normalised(String key, byte[] value, boolean withoutManagedFields) throws Exception {
        boolean protobuf = value.length > 3 && value[0] == 'k' && value[1] == '8' && value[2] == 's' && value[3] == 0;
        ObjectNode object = protobuf
                ? ProtobufDecoder.decode(value).object()
                : (ObjectNode) GoJson.mapper().readTree(value);
        if (object == null) {
            return value; // a kind without a protobuf form in the fake (none is expected)
        }
        assertArrayEquals(value, encode(object, protobuf), key + " is not in its canonical encoding");
        JsonNode metadata = object.path("metadata");
        if (metadata instanceof ObjectNode m) {
            if (m.has("uid")) {
                m.put("uid", "00000000-0000-0000-0000-000000000000");
            }
            for (JsonNode condition : object.path("status").path("conditions")) {
                if (condition.hasNonNull("lastTransitionTime")) {
                    ((ObjectNode) condition).put("lastTransitionTime", "2000-01-01T00:00:00Z");
                }
            }
            if (m.hasNonNull("creationTimestamp")) {
                m.put("creationTimestamp", "2000-01-01T00:00:00Z");
            }
            if (withoutManagedFields) {
                m.remove("managedFields");
            }
            for (JsonNode entry : m.path("managedFields")) {
                if (entry.hasNonNull("time")) {
                    ((ObjectNode) entry).put("time", "2000-01-01T00:00:00Z");
                }
            }
        }
        return encode(object, protobuf);
    }

    private static byte[] encode(ObjectNode object, boolean protobuf) throws Exception {
        if (protobuf) {
            return ProtobufEncoder.encode(object);
        }
        byte[] json = GoJson.mapper().writeValueAsBytes(object);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                String d = firstDifference(path + "/" + n, a.path(n), b.path(n));
                if (d != null) {
                    return d;
                }
            }
            return path + " (order)";
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "/" + i, a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
        }
        String x = a.toString(), y = b.toString();
        return path + " ref=" + x.substring(0, Math.min(200, x.length())) + " fake="
                + y.substring(0, Math.min(200, y.length()));
    }

    private static String show(byte[] value) throws Exception {
        boolean protobuf = value.length > 3 && value[0] == 'k' && value[1] == '8' && value[2] == 's' && value[3] == 0;
        return protobuf ? ProtobufDecoder.decode(value).object().toString() : new String(value, StandardCharsets.UTF_8);
    }
}
