package io.kubetwin.apiserver.registry.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --allow-privileged} over TLS: with kube-apiserver's default (false) pods and the pod templates of every
 * workload kind with a privileged or hostProcess container are refused by validation with the reference's 422
 * (golden/privileged, recorded from kube-apiserver v1.34.4 with its defaults); with {@code --allow-privileged=true}
 * they are stored.
 */
class AllowPrivilegedApiTest {
    private static final String CONTAINERS =
            "[{\"name\":\"a\",\"image\":\"nginx\",\"securityContext\":{\"privileged\":true}}]";
    private static final String TEMPLATE =
            "{\"metadata\":{\"labels\":{\"app\":\"x\"}},\"spec\":{\"containers\":" + CONTAINERS + "}}";
    private static final String JOB_TEMPLATE = "{\"metadata\":{\"labels\":{\"app\":\"x\"}},"
            + "\"spec\":{\"restartPolicy\":\"Never\",\"containers\":" + CONTAINERS + "}}";
    private static final String SELECTOR = "{\"matchLabels\":{\"app\":\"x\"}}";

    @RegisterExtension
    static final TestApiServer byDefault = TestApiServer.builder().build();

    @RegisterExtension
    static final TestApiServer allowing =
            TestApiServer.builder().config(b -> b.allowPrivileged(true)).build();

    @Test
    void aPrivilegedPodIsRefusedWithTheReferencesStatus() {
        ApiClient.Response r = byDefault
                .admin()
                .post(
                        "/api/v1/namespaces/default/pods",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
                                + CONTAINERS + ",\"initContainers\":" + CONTAINERS + "}}");
        assertEquals(422, r.code());
        assertEquals(Golden.json("privileged/pod.json"), r.json());
    }

    @Test
    void aHostProcessPodIsRefusedWithTheReferencesStatus() {
        ApiClient.Response r = byDefault
                .admin()
                .post(
                        "/api/v1/namespaces/default/pods",
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"hp\"},\"spec\":{"
                                + "\"securityContext\":{\"windowsOptions\":{\"hostProcess\":true}},\"containers\":["
                                + "{\"name\":\"a\",\"image\":\"nginx\",\"securityContext\":{\"windowsOptions\":"
                                + "{\"hostProcess\":false}}},{\"name\":\"b\",\"image\":\"nginx\"}]}}");
        assertEquals(422, r.code());
        assertEquals(Golden.json("privileged/hostprocess.json"), r.json());
    }

    @Test
    void templatesAreRefusedWithTheReferencesStatus() {
        ApiClient admin = byDefault.admin();
        ApiClient.Response deployment = admin.post(
                "/apis/apps/v1/namespaces/default/deployments",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"w\"},\"spec\":"
                        + "{\"selector\":" + SELECTOR + ",\"template\":" + TEMPLATE + "}}");
        assertEquals(Golden.json("privileged/deployment.json"), deployment.json());
        ApiClient.Response cronJob = admin.post(
                "/apis/batch/v1/namespaces/default/cronjobs",
                "{\"apiVersion\":\"batch/v1\",\"kind\":\"CronJob\",\"metadata\":{\"name\":\"w\"},\"spec\":"
                        + "{\"schedule\":\"* * * * *\",\"jobTemplate\":{\"spec\":{\"template\":" + JOB_TEMPLATE
                        + "}}}}");
        assertEquals(Golden.json("privileged/cronjob.json"), cronJob.json());
        ApiClient.Response podTemplate = admin.post(
                "/api/v1/namespaces/default/podtemplates",
                "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"w\"},\"template\":" + TEMPLATE
                        + "}");
        assertEquals(Golden.json("privileged/podtemplate.json"), podTemplate.json());
    }

    /** The messages of the kinds not kept as golden files, as the reference words them. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "/apis/apps/v1/namespaces/default/replicasets | ReplicaSet | apps/v1 | ReplicaSet.apps",
                "/apis/apps/v1/namespaces/default/statefulsets | StatefulSet | apps/v1 | StatefulSet.apps",
                "/apis/apps/v1/namespaces/default/daemonsets | DaemonSet | apps/v1 | DaemonSet.apps",
                "/apis/batch/v1/namespaces/default/jobs | Job | batch/v1 | Job.batch",
                "/api/v1/namespaces/default/replicationcontrollers | ReplicationController | v1 | ReplicationController",
            })
    void everyWorkloadKindIsRefused(String path, String kind, String apiVersion, String qualified) {
        for (TestApiServer server : new TestApiServer[] {byDefault, allowing}) {
            ApiClient.Response r = server.admin().post(path, workload(kind, apiVersion));
            if (server == allowing) {
                assertEquals(201, r.code(), r.body());
                continue;
            }
            assertEquals(422, r.code(), r.body());
            assertEquals(
                    qualified + " \"w\" is invalid: spec.template.spec.containers[0].securityContext.privileged: "
                            + "Forbidden: disallowed by cluster policy",
                    r.json().path("message").asText());
        }
    }

    private static String workload(String kind, String apiVersion) {
        String spec =
                switch (kind) {
                    case "Job" -> "{\"template\":" + JOB_TEMPLATE + "}";
                    case "ReplicationController" -> "{\"selector\":{\"app\":\"x\"},\"template\":" + TEMPLATE + "}";
                    case "StatefulSet" ->
                        "{\"selector\":" + SELECTOR + ",\"serviceName\":\"s\",\"template\":" + TEMPLATE + "}";
                    default -> "{\"selector\":" + SELECTOR + ",\"template\":" + TEMPLATE + "}";
                };
        return "{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"w\"},"
                + "\"spec\":" + spec + "}";
    }

    @Test
    void withAllowPrivilegedPrivilegedPodsAndTemplatesAreStored() {
        ApiClient admin = allowing.admin();
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/pods",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                                        + "\"spec\":{\"containers\":" + CONTAINERS + "}}")
                        .code());
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces/default/podtemplates",
                                "{\"apiVersion\":\"v1\",\"kind\":\"PodTemplate\",\"metadata\":{\"name\":\"w\"},"
                                        + "\"template\":" + TEMPLATE + "}")
                        .code());
        // hostProcess needs the host network and only hostProcess containers, privileged or not
        ApiClient.Response hostProcess = admin.post(
                "/api/v1/namespaces/default/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"hp\"},\"spec\":{"
                        + "\"securityContext\":{\"windowsOptions\":{\"hostProcess\":true}},"
                        + "\"containers\":[{\"name\":\"a\",\"image\":\"nginx\"}]}}");
        assertEquals(
                "Pod \"hp\" is invalid: spec.hostNetwork: Invalid value: false: hostNetwork must be true if pod "
                        + "contains any hostProcess containers",
                hostProcess.json().path("message").asText());
    }
}
