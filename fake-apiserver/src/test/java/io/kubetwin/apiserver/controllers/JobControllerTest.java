package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Job controller over TLS, with what kube-controller-manager v1.34.4 did for the same Jobs (pods stay Pending:
 * no scheduler): pods, finalizer, labels, ownerReferences, Indexed pods, status, suspend, activeDeadlineSeconds, a
 * pod deleted by hand, and the Events.
 */
class JobControllerTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private static final String JOBS = "/apis/batch/v1/namespaces/default/jobs";

    private final ApiClient admin = cluster.admin();

    private static String job(String name, String spec) {
        return "{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + spec
                + (spec.isEmpty() ? "" : ",")
                + "\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";
    }

    private JsonNode pods(String selector) {
        return admin.get("/api/v1/namespaces/default/pods?labelSelector=" + selector)
                .json()
                .get("items");
    }

    private List<String> events(String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name)
                .json()
                .get("items")) {
            assertEquals("{\"component\":\"job-controller\"}", e.get("source").toString());
            assertEquals("job-controller", e.get("reportingComponent").asText());
            out.add(e.get("type").asText() + " " + e.get("reason").asText() + " "
                    + e.get("message").asText());
        }
        return out;
    }

    @Test
    void parallelismAndCompletionsWhilePodsArePending() {
        assertEquals(
                201,
                admin.post(JOBS, job("p1", "\"parallelism\":2,\"completions\":3"))
                        .code());
        JsonNode job = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/p1"),
                        r -> r.json().at("/status/active").asInt() == 2)
                .json();
        String uid = job.at("/metadata/uid").asText();
        JsonNode status = job.get("status");
        assertEquals(
                List.of("startTime", "active", "terminating", "uncountedTerminatedPods", "ready"),
                ControllersTest.names(status));
        assertEquals("{}", status.get("uncountedTerminatedPods").toString());
        JsonNode pods = pods("job-name%3Dp1");
        assertEquals(2, pods.size());
        JsonNode meta = pods.get(0).get("metadata");
        assertTrue(meta.get("name").asText().matches("p1-[a-z0-9]{5}"), meta.toString());
        assertEquals("p1-", meta.get("generateName").asText());
        assertEquals(
                "[\"batch.kubernetes.io/job-tracking\"]", meta.get("finalizers").toString());
        assertEquals(
                "{\"batch.kubernetes.io/controller-uid\":\"" + uid + "\",\"batch.kubernetes.io/job-name\":\"p1\","
                        + "\"controller-uid\":\"" + uid + "\",\"job-name\":\"p1\"}",
                meta.get("labels").toString());
        assertEquals(
                "[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"p1\",\"uid\":\"" + uid
                        + "\",\"controller\":true,\"blockOwnerDeletion\":true}]",
                meta.get("ownerReferences").toString());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/p1"), r -> events("p1").size() == 2);
        List<String> events = events("p1");
        assertTrue(events.get(0).matches("Normal SuccessfulCreate Created pod: p1-[a-z0-9]{5}"), events.toString());
    }

    @Test
    void indexedPodsCarryTheirIndex() {
        assertEquals(
                201,
                admin.post(JOBS, job("ix", "\"parallelism\":2,\"completions\":3,\"completionMode\":\"Indexed\""))
                        .code());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/ix"),
                r -> r.json().at("/status/active").asInt() == 2);
        JsonNode pod = pods("job-name%3Dix,batch.kubernetes.io/job-completion-index%3D1")
                .get(0);
        assertTrue(pod.at("/metadata/name").asText().matches("ix-1-[a-z0-9]{5}"));
        assertEquals("ix-1-", pod.at("/metadata/generateName").asText());
        assertEquals(
                "{\"batch.kubernetes.io/job-completion-index\":\"1\"}",
                pod.at("/metadata/annotations").toString());
        assertEquals("ix-1", pod.at("/spec/hostname").asText());
        assertEquals(
                "[{\"name\":\"JOB_COMPLETION_INDEX\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\","
                        + "\"fieldPath\":\"metadata.labels['batch.kubernetes.io/job-completion-index']\"}}}]",
                pod.at("/spec/containers/0/env").toString());
        assertEquals(
                0,
                pods("job-name%3Dix,batch.kubernetes.io/job-completion-index%3D2")
                        .size());
    }

    @Test
    void aSuspendedJobHasNoPodsAndItsCondition() {
        assertEquals(201, admin.post(JOBS, job("sus", "\"suspend\":true")).code());
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/sus"),
                        r -> r.json().at("/status/conditions").size() == 1)
                .json()
                .get("status");
        JsonNode c = status.at("/conditions/0");
        assertEquals(
                "Suspended True JobSuspended Job suspended",
                c.get("type").asText() + " " + c.get("status").asText() + " "
                        + c.get("reason").asText() + " " + c.get("message").asText());
        assertEquals(
                List.of("conditions", "terminating", "uncountedTerminatedPods", "ready"),
                ControllersTest.names(status));
        assertEquals(0, pods("job-name%3Dsus").size());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/sus"), r -> events("sus").size() == 1);
        assertEquals(List.of("Normal Suspended Job suspended"), events("sus"));
    }

    @Test
    void theDeadlineFailsTheJobAndDeletesItsPod() {
        assertEquals(
                201, admin.post(JOBS, job("dl", "\"activeDeadlineSeconds\":1")).code());
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/dl"),
                        r -> r.json().at("/status/conditions").size() == 2)
                .json()
                .get("status");
        assertEquals("FailureTarget", status.at("/conditions/0/type").asText());
        assertEquals("Failed", status.at("/conditions/1/type").asText());
        assertEquals("DeadlineExceeded", status.at("/conditions/1/reason").asText());
        assertEquals(
                "Job was active longer than specified deadline",
                status.at("/conditions/1/message").asText());
        assertEquals(1, status.get("failed").asInt());
        assertEquals("{}", status.get("uncountedTerminatedPods").toString());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/dl"), r -> pods("job-name%3Ddl").isEmpty());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/dl"), r -> events("dl").size() == 3);
        List<String> events = events("dl");
        assertTrue(
                events.contains("Warning DeadlineExceeded Job was active longer than specified deadline"),
                events.toString());
    }

    @Test
    void aPendingPodDeletedByHandCountsAsFailed() {
        assertEquals(201, admin.post(JOBS, job("byhand", "")).code());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/byhand"),
                r -> r.json().at("/status/active").asInt() == 1);
        String pod = pods("job-name%3Dbyhand").get(0).at("/metadata/name").asText();
        assertEquals(200, admin.delete("/api/v1/namespaces/default/pods/" + pod).code());
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/byhand"),
                        r -> r.json().at("/status/failed").asInt() == 1)
                .json()
                .get("status");
        assertEquals("{}", status.get("uncountedTerminatedPods").toString());
        // the finalizer is released, so the pod goes
        TestApiServer.eventually(() -> admin.get("/api/v1/namespaces/default/pods/" + pod), r -> r.code() == 404);
    }

    @Test
    void aDeletedJobReleasesItsPods() {
        assertEquals(201, admin.post(JOBS, job("gone", "")).code());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/gone"),
                r -> r.json().at("/status/active").asInt() == 1);
        assertEquals(
                200,
                admin.send("DELETE", JOBS + "/gone", "{\"propagationPolicy\":\"Background\"}", "application/json")
                        .code());
        TestApiServer.eventually(
                () -> admin.get("/api/v1/namespaces/default/pods?labelSelector=job-name%3Dgone"),
                r -> r.json().get("items").isEmpty());
    }
}
