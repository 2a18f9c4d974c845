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
 * pod deleted by hand, and the Events; then pods ended by writing their status as a kubelet would: podFailurePolicy
 * FailJob and Ignore rules, backoffLimit, backoffLimitPerIndex with maxFailedIndexes, and a successPolicy.
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

    /** Ends the first pod of the selector as the kubelet would: the phase, container c's exit code, conditions. */
    private String end(String selector, String phase, int exitCode, String conditions) {
        String pod = TestApiServer.eventually(
                        () -> admin.get("/api/v1/namespaces/default/pods?labelSelector=" + selector),
                        r -> !r.json().get("items").isEmpty())
                .json()
                .at("/items/0/metadata/name")
                .asText();
        String status = "{\"status\":{\"phase\":\"" + phase + "\",\"conditions\":" + conditions
                + ",\"containerStatuses\":[{\"name\":\"c\",\"image\":\"busybox\",\"imageID\":\"\",\"ready\":false,"
                + "\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":" + exitCode
                + ",\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:00:01Z\"}}}]}}";
        assertEquals(
                200,
                admin.send(
                                "PATCH",
                                "/api/v1/namespaces/default/pods/" + pod + "/status",
                                status,
                                "application/merge-patch+json")
                        .code());
        return pod;
    }

    private JsonNode settled(String name, int conditions) {
        return TestApiServer.eventually(
                        () -> admin.get(JOBS + "/" + name),
                        r -> r.json().at("/status/conditions").size() == conditions)
                .json()
                .get("status");
    }

    private static String conditions(JsonNode status) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : status.get("conditions")) {
            out.add(c.get("type").asText() + " " + c.get("status").asText() + " "
                    + c.get("reason").asText() + " " + c.get("message").asText());
        }
        return String.join("\n", out);
    }

    @Test
    void aFailJobRuleFailsTheJobWithItsMessage() {
        assertEquals(
                201,
                admin.post(
                                JOBS,
                                job(
                                        "fj",
                                        "\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\",\"onExitCodes\":"
                                                + "{\"operator\":\"In\",\"values\":[1]}},{\"action\":\"FailJob\","
                                                + "\"onExitCodes\":{\"containerName\":\"c\",\"operator\":\"In\","
                                                + "\"values\":[42]}}]}"))
                        .code());
        String pod = end("job-name%3Dfj", "Failed", 42, "[]");
        JsonNode status = settled("fj", 2);
        String message =
                "Container c for pod default/" + pod + " failed with exit code 42 matching FailJob rule at index 1";
        assertEquals(
                "FailureTarget True PodFailurePolicy " + message + "\nFailed True PodFailurePolicy " + message,
                conditions(status));
        assertEquals(1, status.get("failed").asInt());
        assertEquals(0, status.get("terminating").asInt());
        assertEquals("{}", status.get("uncountedTerminatedPods").toString());
        assertTrue(status.path("active").isMissingNode(), status.toString());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/fj"), r -> events("fj").size() == 2);
        assertTrue(
                events("fj").contains("Warning PodFailurePolicy " + message),
                events("fj").toString());
        JsonNode left = pods("job-name%3Dfj");
        assertEquals(1, left.size());
        assertTrue(left.at("/0/metadata/finalizers").isMissingNode(), left.toString());
    }

    @Test
    void anIgnoredDisruptionIsReplacedAndNotCounted() {
        assertEquals(
                201,
                admin.post(
                                JOBS,
                                job(
                                        "ig",
                                        "\"backoffLimit\":0,\"podFailurePolicy\":{\"rules\":[{\"action\":\"Ignore\","
                                                + "\"onPodConditions\":[{\"type\":\"DisruptionTarget\"}]}]}"))
                        .code());
        end("job-name%3Dig", "Failed", 137, "[{\"type\":\"DisruptionTarget\",\"status\":\"True\"}]");
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/ig"), r -> pods("job-name%3Dig").size() == 2);
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/ig"),
                        r -> r.json().at("/status/active").asInt() == 1)
                .json()
                .get("status");
        assertTrue(status.path("failed").isMissingNode(), status.toString());
        assertTrue(status.path("conditions").isMissingNode(), status.toString());
    }

    @Test
    void theBackoffLimitEndsTheJob() {
        assertEquals(201, admin.post(JOBS, job("bl", "\"backoffLimit\":0")).code());
        end("job-name%3Dbl", "Failed", 1, "[]");
        JsonNode status = settled("bl", 2);
        String message = "Job has reached the specified backoff limit";
        assertEquals(
                "FailureTarget True BackoffLimitExceeded " + message + "\nFailed True BackoffLimitExceeded " + message,
                conditions(status));
        assertEquals(1, status.get("failed").asInt());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/bl"), r -> events("bl").size() == 2);
        assertTrue(
                events("bl").contains("Warning BackoffLimitExceeded " + message),
                events("bl").toString());
    }

    @Test
    void failedIndexesBeyondMaxFailedIndexesEndTheJob() {
        assertEquals(
                201,
                admin.post(
                                JOBS,
                                job(
                                        "pi",
                                        "\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\","
                                                + "\"backoffLimitPerIndex\":0,\"maxFailedIndexes\":1"))
                        .code());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/pi"),
                r -> r.json().at("/status/active").asInt() == 3);
        assertEquals(
                "{\"batch.kubernetes.io/job-completion-index\":\"0\",\"batch.kubernetes.io/job-index-failure-count\":\"0\"}",
                pods("job-name%3Dpi,batch.kubernetes.io/job-completion-index%3D0")
                        .at("/0/metadata/annotations")
                        .toString());
        end("job-name%3Dpi,batch.kubernetes.io/job-completion-index%3D0", "Failed", 1, "[]");
        JsonNode status = TestApiServer.eventually(
                        () -> admin.get(JOBS + "/pi"),
                        r -> r.json().at("/status/failed").asInt() == 1)
                .json()
                .get("status");
        assertEquals("0", status.get("failedIndexes").asText());
        assertEquals(2, status.get("active").asInt());
        end("job-name%3Dpi,batch.kubernetes.io/job-completion-index%3D1", "Failed", 1, "[]");
        status = settled("pi", 2);
        String message = "Job has exceeded the specified maximal number of failed indexes";
        assertEquals(
                "FailureTarget True MaxFailedIndexesExceeded " + message + "\nFailed True MaxFailedIndexesExceeded "
                        + message,
                conditions(status));
        assertEquals("0,1", status.get("failedIndexes").asText());
        assertEquals(3, status.get("failed").asInt());
    }

    @Test
    void aSuccessPolicyCompletesTheJob() {
        assertEquals(
                201,
                admin.post(
                                JOBS,
                                job(
                                        "sp",
                                        "\"completions\":3,\"parallelism\":3,\"completionMode\":\"Indexed\","
                                                + "\"successPolicy\":{\"rules\":[{\"succeededIndexes\":\"2\"},"
                                                + "{\"succeededCount\":1}]}"))
                        .code());
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/sp"),
                r -> r.json().at("/status/active").asInt() == 3);
        end("job-name%3Dsp,batch.kubernetes.io/job-completion-index%3D0", "Succeeded", 0, "[]");
        JsonNode status = settled("sp", 2);
        assertEquals(
                "SuccessCriteriaMet True SuccessPolicy Matched rules at index 1\n"
                        + "Complete True SuccessPolicy Matched rules at index 1",
                conditions(status));
        assertEquals("0", status.get("completedIndexes").asText());
        assertEquals(1, status.get("succeeded").asInt());
        assertTrue(status.path("failed").isMissingNode(), status.toString());
        assertEquals(status.at("/conditions/1/lastTransitionTime"), status.get("completionTime"));
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/sp"), r -> pods("job-name%3Dsp").size() == 1);
        TestApiServer.eventually(
                () -> admin.get(JOBS + "/sp"), r -> events("sp").contains("Normal Completed Job completed"));
    }
}
