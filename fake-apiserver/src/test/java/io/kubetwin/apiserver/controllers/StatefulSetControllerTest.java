package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The StatefulSet controller over TLS, with what kube-controller-manager v1.34.4 did for the same sets (pods stay
 * Pending): the ControllerRevision and its hash, pods, claims, status and Events.
 */
class StatefulSetControllerTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String SETS = "/apis/apps/v1/namespaces/default/statefulsets";
    private static final String PODS = "/api/v1/namespaces/default/pods/";

    private final ApiClient admin = cluster.admin();

    private static String set(String name, int replicas, String extra) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"replicas\":" + replicas + ",\"serviceName\":\"" + name
                + "\",\"selector\":{\"matchLabels\":"
                + "{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":{\"labels\":{\"app\":\"" + name + "\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}" + extra + "}}";
    }

    @Test
    void revisionHashIsUpstreams() {
        // the data of the reference's ControllerRevision web-757df7b85b, as the controller hashes it
        String data = "{\"spec\":{\"template\":{\"$patch\":\"replace\",\"metadata\":{\"labels\":{\"app\":\"web\"}},"
                + "\"spec\":{\"containers\":[{\"image\":\"nginx\",\"imagePullPolicy\":\"Always\",\"name\":\"c\","
                + "\"resources\":{},\"terminationMessagePath\":\"/dev/termination-log\","
                + "\"terminationMessagePolicy\":\"File\"}],\"dnsPolicy\":\"ClusterFirst\",\"restartPolicy\":\"Always\","
                + "\"schedulerName\":\"default-scheduler\",\"securityContext\":{},\"terminationGracePeriodSeconds\":30}}}}";
        assertEquals("757df7b85b", StatefulSetController.hash(data, 0));
    }

    @Test
    void orderedReadyCreatesTheFirstPodAndItsClaim() {
        String claims = ",\"volumeClaimTemplates\":[{\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":"
                + "[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}]";
        ApiClient.Response created = admin.post(SETS, set("web", 3, claims));
        assertEquals(201, created.code(), created.body());
        // TypeMeta in Go's field order (kind first), as every object is written
        assertEquals(
                "{\"kind\":\"PersistentVolumeClaim\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"data\"},\"spec\":"
                        + "{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}},"
                        + "\"volumeMode\":\"Filesystem\"},\"status\":{\"phase\":\"Pending\"}}",
                created.json().at("/spec/volumeClaimTemplates/0").toString());
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(SETS + "/web"),
                        r -> r.json().at("/status/replicas").asInt() == 1)
                .json()
                .get("status");
        assertEquals(
                "{\"observedGeneration\":1,\"replicas\":1,\"currentReplicas\":1,\"updatedReplicas\":1,"
                        + "\"currentRevision\":\"web-757df7b85b\",\"updateRevision\":\"web-757df7b85b\","
                        + "\"collisionCount\":0,\"availableReplicas\":0}",
                status.toString());
        JsonNode pod = admin.get(PODS + "web-0").json();
        assertEquals(
                "{\"app\":\"web\",\"apps.kubernetes.io/pod-index\":\"0\",\"controller-revision-hash\":\"web-757df7b85b\","
                        + "\"statefulset.kubernetes.io/pod-name\":\"web-0\"}",
                pod.at("/metadata/labels").toString());
        assertEquals("web-", pod.at("/metadata/generateName").asText());
        assertEquals(
                "web-0 web",
                pod.at("/spec/hostname").asText() + " "
                        + pod.at("/spec/subdomain").asText());
        assertEquals(
                "{\"name\":\"data\",\"persistentVolumeClaim\":{\"claimName\":\"data-web-0\"}}",
                pod.at("/spec/volumes/0").toString());
        // OrderedReady: web-1 waits for web-0 to be Running and Ready
        assertEquals(404, admin.get(PODS + "web-1").code());
        JsonNode claim = admin.get("/api/v1/namespaces/default/persistentvolumeclaims/data-web-0")
                .json();
        assertEquals("{\"app\":\"web\"}", claim.at("/metadata/labels").toString());
        assertEquals("", claim.at("/metadata/ownerReferences").toString());
        JsonNode revision = admin.get("/apis/apps/v1/namespaces/default/controllerrevisions/web-757df7b85b")
                .json();
        assertEquals(1, revision.get("revision").asInt());
        assertEquals(
                "{\"app\":\"web\",\"controller.kubernetes.io/hash\":\"757df7b85b\"}",
                revision.at("/metadata/labels").toString());
        TestApiServer.eventually(
                () -> admin.get(SETS + "/web"), r -> events("web").size() == 2);
        assertEquals(
                List.of(
                        "SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success",
                        "SuccessfulCreate create Pod web-0 in StatefulSet web successful"),
                events("web"));
    }

    @Test
    void parallelCreatesAllAndScalesDownFromTheTop() {
        String policy = ",\"podManagementPolicy\":\"Parallel\",\"persistentVolumeClaimRetentionPolicy\":"
                + "{\"whenDeleted\":\"Delete\",\"whenScaled\":\"Retain\"},\"volumeClaimTemplates\":[{\"metadata\":"
                + "{\"name\":\"d\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":"
                + "{\"storage\":\"1Gi\"}}}}]";
        assertEquals(201, admin.post(SETS, set("par", 3, policy)).code());
        TestApiServer.eventually(
                () -> admin.get(SETS + "/par"),
                r -> r.json().at("/status/replicas").asInt() == 3);
        JsonNode claim = admin.get("/api/v1/namespaces/default/persistentvolumeclaims/d-par-2")
                .json();
        assertEquals(
                "StatefulSet par true true",
                claim.at("/metadata/ownerReferences/0/kind").asText() + " "
                        + claim.at("/metadata/ownerReferences/0/name").asText() + " "
                        + claim.at("/metadata/ownerReferences/0/controller").asText() + " "
                        + claim.at("/metadata/ownerReferences/0/blockOwnerDeletion")
                                .asText());
        assertEquals(
                200,
                admin.patch(SETS + "/par", "{\"spec\":{\"replicas\":1}}", "application/merge-patch+json")
                        .code());
        TestApiServer.eventually(() -> admin.get(PODS + "par-1"), r -> r.code() == 404);
        assertEquals(404, admin.get(PODS + "par-2").code());
        assertEquals(200, admin.get(PODS + "par-0").code());
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(SETS + "/par"),
                        r -> r.json().at("/status/replicas").asInt() == 1)
                .json()
                .get("status");
        assertEquals(2, status.get("observedGeneration").asInt());
        TestApiServer.eventually(
                () -> admin.get(SETS + "/par"), r -> events("par").size() == 8);
        List<String> deletes = events("par").stream()
                .filter(e -> e.startsWith("SuccessfulDelete"))
                .toList();
        assertEquals(
                List.of(
                        "SuccessfulDelete delete Pod par-2 in StatefulSet par successful",
                        "SuccessfulDelete delete Pod par-1 in StatefulSet par successful"),
                deletes);
    }

    private String pods(String app) {
        StringBuilder out = new StringBuilder();
        for (JsonNode p : admin.get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + app)
                .json()
                .get("items")) {
            out.append(p.at("/metadata/name").asText())
                    .append(' ')
                    .append(p.at("/metadata/labels/controller-revision-hash").asText())
                    .append(' ')
                    .append(p.at("/spec/containers/0/image").asText())
                    .append(';');
        }
        return out.toString();
    }

    private String revisions(String app) {
        StringBuilder out = new StringBuilder();
        for (JsonNode r : admin.get("/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3D" + app)
                .json()
                .get("items")) {
            out.append(r.at("/metadata/name").asText())
                    .append('=')
                    .append(r.get("revision").asLong())
                    .append(';');
        }
        return out.toString();
    }

    private void image(String set, String image) {
        assertEquals(
                200,
                admin.patch(
                                SETS + "/" + set,
                                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\""
                                        + image + "\"}]}}}}",
                                "application/strategic-merge-patch+json")
                        .code());
    }

    /**
     * The sequence run on the reference with kubectl set image (names and revisions as it gave them): with
     * Pending pods a RollingUpdate replaces only the highest ordinal at or above the partition, a pod below the
     * partition comes back at the current revision, the current revision stays until all pods are Ready, a
     * rollback raises the old revision's number, and revisionHistoryLimit deletes the oldest unused revisions.
     */
    @Test
    void rollingUpdateWithAPartitionAndPendingPods() {
        String extra = ",\"revisionHistoryLimit\":1,\"podManagementPolicy\":\"Parallel\",\"updateStrategy\":"
                + "{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}";
        assertEquals(
                201,
                admin.post(SETS, set("s", 3, extra).replace("\"nginx\"", "\"busybox:1\""))
                        .code());
        TestApiServer.eventually(
                () -> admin.get(SETS + "/s"),
                r -> r.json().at("/status/replicas").asInt() == 3);
        String first =
                admin.get(SETS + "/s").json().at("/status/updateRevision").asText();
        image("s", "busybox:2");
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(SETS + "/s"),
                        r -> r.json().at("/status/updatedReplicas").asInt() == 1
                                && r.json().at("/status/replicas").asInt() == 3)
                .json()
                .get("status");
        String second = status.get("updateRevision").asText();
        assertEquals(
                "{\"observedGeneration\":2,\"replicas\":3,\"currentReplicas\":2,\"updatedReplicas\":1,"
                        + "\"currentRevision\":\"" + first + "\",\"updateRevision\":\"" + second + "\","
                        + "\"collisionCount\":0,\"availableReplicas\":0}",
                status.toString());
        assertEquals(
                "s-0 " + first + " busybox:1;s-1 " + first + " busybox:1;s-2 " + second + " busybox:2;", pods("s"));
        image("s", "busybox:3");
        String third = TestApiServer.eventually(
                        () -> admin.get(SETS + "/s"),
                        r -> r.json().at("/metadata/generation").asInt() == 3
                                && r.json().at("/status/observedGeneration").asInt() == 3
                                && r.json().at("/status/updatedReplicas").asInt() == 1
                                && r.json().at("/status/replicas").asInt() == 3)
                .json()
                .at("/status/updateRevision")
                .asText();
        assertEquals("s-0 " + first + " busybox:1;s-1 " + first + " busybox:1;s-2 " + third + " busybox:3;", pods("s"));
        // one unused revision kept (the limit)
        assertEquals(first + "=1;" + second + "=2;" + third + "=3;", sortedRevisions("s"));
        // below the partition a deleted pod comes back at the current revision, with its template
        assertEquals(200, admin.delete(PODS + "s-0").code());
        TestApiServer.eventually(() -> admin.get(PODS + "s-0"), r -> r.code() == 200);
        assertEquals("s-0 " + first + " busybox:1;s-1 " + first + " busybox:1;s-2 " + third + " busybox:3;", pods("s"));
        // a rollback: the equal revision raised to the next number; the unused ones beyond the limit deleted
        image("s", "busybox:1");
        TestApiServer.eventually(
                () -> admin.get(SETS + "/s"),
                r -> r.json().at("/status/updatedReplicas").asInt() == 3
                        && sortedRevisions("s").equals(third + "=3;" + first + "=4;"));
        assertEquals("s-0 " + first + " busybox:1;s-1 " + first + " busybox:1;s-2 " + first + " busybox:1;", pods("s"));
        assertEquals(
                first,
                admin.get(SETS + "/s").json().at("/status/currentRevision").asText());
        assertEquals(
                List.of(
                        "SuccessfulDelete delete Pod s-2 in StatefulSet s successful",
                        "SuccessfulDelete delete Pod s-2 in StatefulSet s successful",
                        "SuccessfulDelete delete Pod s-2 in StatefulSet s successful"),
                events("s").stream()
                        .filter(e -> e.startsWith("SuccessfulDelete"))
                        .toList());
    }

    /** OnDelete and OrderedReady: nothing is deleted; a pod deleted by hand comes back at the update revision. */
    @Test
    void onDeleteAndOrderedReadyWaitForAHandDeletedPod() {
        for (String extra :
                new String[] {",\"podManagementPolicy\":\"Parallel\",\"updateStrategy\":{\"type\":\"OnDelete\"}", ""}) {
            String name = extra.isEmpty() ? "r" : "o";
            int replicas = extra.isEmpty() ? 1 : 2;
            assertEquals(201, admin.post(SETS, set(name, replicas, extra)).code());
            TestApiServer.eventually(
                    () -> admin.get(SETS + "/" + name),
                    r -> r.json().at("/status/replicas").asInt() == replicas);
            String first = admin.get(SETS + "/" + name)
                    .json()
                    .at("/status/updateRevision")
                    .asText();
            image(name, "busybox:2");
            JsonNode status = TestApiServer.eventually(
                            () -> admin.get(SETS + "/" + name),
                            r -> r.json().at("/status/observedGeneration").asInt() == 2)
                    .json()
                    .get("status");
            String second = status.get("updateRevision").asText();
            assertEquals(
                    "{\"observedGeneration\":2,\"replicas\":" + replicas + ",\"currentReplicas\":" + replicas
                            + ",\"currentRevision\":\"" + first + "\",\"updateRevision\":\"" + second + "\","
                            + "\"collisionCount\":0,\"availableReplicas\":0}",
                    status.toString());
            assertEquals(200, admin.delete(PODS + name + "-0").code());
            status = TestApiServer.eventually(
                            () -> admin.get(SETS + "/" + name),
                            r -> r.json().at("/status/updatedReplicas").asInt() == 1)
                    .json()
                    .get("status");
            String rest = replicas == 2 ? ",\"currentReplicas\":1" : "";
            assertEquals(
                    "{\"observedGeneration\":2,\"replicas\":" + replicas + rest + ",\"updatedReplicas\":1,"
                            + "\"currentRevision\":\"" + first + "\",\"updateRevision\":\"" + second + "\","
                            + "\"collisionCount\":0,\"availableReplicas\":0}",
                    status.toString());
            assertEquals(
                    second,
                    admin.get(PODS + name + "-0")
                            .json()
                            .at("/metadata/labels/controller-revision-hash")
                            .asText());
        }
    }

    private String sortedRevisions(String app) {
        List<String> items = new ArrayList<>(List.of(revisions(app).split(";")));
        items.sort((a, b) -> Long.compare(
                Long.parseLong(a.substring(a.indexOf('=') + 1)), Long.parseLong(b.substring(b.indexOf('=') + 1))));
        return String.join(";", items) + ";";
    }

    private List<String> events(String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name)
                .json()
                .get("items")) {
            assertEquals(
                    "{\"component\":\"statefulset-controller\"}",
                    e.get("source").toString());
            out.add(e.get("reason").asText() + " " + e.get("message").asText());
        }
        return out;
    }
}
