package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DaemonSet updates over TLS, with what kube-controller-manager v1.34.4 did for the same objects (pods stay
 * Pending; revision names and numbers as the reference gave them): maxSurge starts the new pod before the old one
 * goes, OnDelete replaces only a pod deleted by hand, revisionHistoryLimit deletes the oldest unused revisions.
 */
class DaemonSetUpdatesTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String SETS = "/apis/apps/v1/namespaces/default/daemonsets/";
    private final ApiClient admin = cluster.admin();

    private static String daemonSet(String name, String strategy) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + strategy + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"app\":\"" + name + "\"}},\"spec\":{\"nodeSelector\":{\"kubernetes.io/hostname\":"
                + "\"zn\"},\"tolerations\":[{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\","
                + "\"effect\":\"NoSchedule\"}],\"containers\":[{\"name\":\"a\",\"image\":\"busybox:1\"}]}}}}";
    }

    private void image(String name, String image) {
        assertEquals(
                200,
                admin.patch(
                                SETS + name,
                                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\""
                                        + image + "\"}]}}}}",
                                "application/strategic-merge-patch+json")
                        .code());
    }

    private List<String> podHashes(String app) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : admin.get("/api/v1/namespaces/default/pods?labelSelector=app%3D" + app)
                .json()
                .get("items")) {
            out.add(p.at("/metadata/labels/controller-revision-hash").asText());
        }
        return out;
    }

    private String revisions(String app) {
        TreeMap<Long, String> byRevision = new TreeMap<>();
        for (JsonNode r : admin.get("/apis/apps/v1/namespaces/default/controllerrevisions?labelSelector=app%3D" + app)
                .json()
                .get("items")) {
            byRevision.put(r.get("revision").asLong(), r.at("/metadata/name").asText());
        }
        return byRevision.toString();
    }

    private List<String> events(String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name)
                .json()
                .get("items")) {
            out.add(e.get("reason").asText() + " " + e.get("message").asText());
        }
        return out;
    }

    @Test
    void surgeOnDeleteAndHistory() {
        assertEquals(
                201,
                admin.post(
                                "/api/v1/nodes",
                                "{\"metadata\":{\"name\":\"zn\",\"labels\":{\"kubernetes.io/hostname\":\"zn\"}}}")
                        .code());
        String surge = "\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"maxSurge\":1,"
                + "\"maxUnavailable\":0}},\"revisionHistoryLimit\":1,";
        assertEquals(201, admin.post(SETS, daemonSet("su", surge)).code());
        assertEquals(
                201,
                admin.post(SETS, daemonSet("od", "\"updateStrategy\":{\"type\":\"OnDelete\"},"))
                        .code());
        TestApiServer.eventually(
                () -> admin.get(SETS + "su"), r -> podHashes("su").equals(List.of("7b5f4b7f64")));
        TestApiServer.eventually(
                () -> admin.get(SETS + "od"), r -> podHashes("od").equals(List.of("68b4886c57")));
        String first = admin.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dsu")
                .json()
                .at("/items/0/metadata/name")
                .asText();

        // maxSurge: the new pod is created first, then the old one (not Ready) deleted
        image("su", "busybox:2");
        image("od", "busybox:2");
        TestApiServer.eventually(
                () -> admin.get(SETS + "su"), r -> podHashes("su").equals(List.of("656898bf87")));
        List<String> log = events("su");
        assertEquals(3, log.size(), log.toString());
        assertEquals("SuccessfulCreate Created pod: " + first, log.get(0));
        assertEquals("SuccessfulCreate", log.get(1).substring(0, log.get(1).indexOf(' ')));
        assertEquals("SuccessfulDelete Deleted pod: " + first, log.get(2));
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(SETS + "su"),
                        r -> r.json().at("/status/observedGeneration").asInt() == 2
                                && r.json().at("/status/updatedNumberScheduled").asInt() == 1)
                .json()
                .get("status");
        assertEquals(
                "{\"currentNumberScheduled\":1,\"numberMisscheduled\":0,\"desiredNumberScheduled\":1,\"numberReady\":0,"
                        + "\"observedGeneration\":2,\"updatedNumberScheduled\":1,\"numberUnavailable\":1}",
                status.toString());

        // OnDelete: the old pod stays until deleted by hand
        status = TestApiServer.eventually(
                        () -> admin.get(SETS + "od"),
                        r -> r.json().at("/status/observedGeneration").asInt() == 2)
                .json()
                .get("status");
        assertEquals(
                "{\"currentNumberScheduled\":1,\"numberMisscheduled\":0,\"desiredNumberScheduled\":1,\"numberReady\":0,"
                        + "\"observedGeneration\":2,\"numberUnavailable\":1}",
                status.toString());
        assertEquals(List.of("68b4886c57"), podHashes("od"));
        String odPod = admin.get("/api/v1/namespaces/default/pods?labelSelector=app%3Dod")
                .json()
                .at("/items/0/metadata/name")
                .asText();
        assertEquals(
                200, admin.delete("/api/v1/namespaces/default/pods/" + odPod).code());
        TestApiServer.eventually(
                () -> admin.get(SETS + "od"), r -> podHashes("od").equals(List.of("69b76cc48b")));

        // revisionHistoryLimit 1: one old revision kept, the oldest unused one deleted
        image("su", "busybox:3");
        TestApiServer.eventually(
                () -> admin.get(SETS + "su"),
                r -> revisions("su").equals("{2=su-656898bf87, 3=su-545c79bf6b}")
                        && podHashes("su").equals(List.of("545c79bf6b")));
        image("su", "busybox:4");
        TestApiServer.eventually(
                () -> admin.get(SETS + "su"),
                r -> revisions("su").equals("{3=su-545c79bf6b, 4=su-778984f665}")
                        && podHashes("su").equals(List.of("778984f665")));
        // OnDelete keeps its default limit of 10
        assertEquals("{1=od-68b4886c57, 2=od-69b76cc48b}", revisions("od"));
    }
}
