package io.kubetwin.apiserver.admission;

import static io.kubetwin.apiserver.testing.TestApiServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pods through the default admission plugins over TLS, compared with what kube-apiserver v1.34.4 stored
 * and answered for the same requests (golden/admission/, recorded with src/test/scripts/record-pod-admission.sh).
 */
class PodAdmissionApiTest {
    private static final String NS = "admission-golden";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    /** names.SimpleNameGenerator's alphabet. */
    private static final Pattern TOKEN_VOLUME = Pattern.compile("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void seed() throws Exception {
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NS + "\"}}")
                        .code());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + NS + "/serviceaccounts", """
                {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"puller"},
                 "imagePullSecrets":[{"name":"regcred"},{"name":"other"}]}""").code());
        assertEquals(
                201,
                admin.post("/api/v1/namespaces/" + NS + "/serviceaccounts", """
                {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"noauto"},"automountServiceAccountToken":false}""").code());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            pod-bare.json | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}
            pod-multi.json | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"multi"},"spec":{"initContainers":[{"name":"i1","image":"busybox:1.36","volumeMounts":[{"name":"data","mountPath":"/data"}]}],"containers":[{"name":"c1","image":"nginx","volumeMounts":[{"name":"data","mountPath":"/data"}]},{"name":"c2","image":"nginx","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],"volumes":[{"name":"data","emptyDir":{}},{"name":"own","emptyDir":{}}],"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}]}}
            pod-viapuller.json | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"viapuller"},"spec":{"serviceAccountName":"puller","containers":[{"name":"c","image":"registry.local/app:1.0"}]}}
            pod-vianoauto.json | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"vianoauto"},"spec":{"serviceAccountName":"noauto","containers":[{"name":"c","image":"nginx"}]}}
            """)
    void storesThePodTheReferenceStores(String golden, String body) {
        ApiClient.Response created = admin.post(PODS, body);
        assertEquals(201, created.code(), created.body());
        String name = created.json().at("/metadata/name").asText();
        ApiClient.Response stored = admin.get(PODS + "/" + name);
        // field by field and in the reference's key order
        assertEquals(normalised(Golden.json("admission/" + golden)), normalised(stored.json()));
        assertEquals(normalised(created.json()), normalised(stored.json()));
    }

    @Test
    void theTokenVolumeIsNamedRandomlyAndMountedUnderThatName() {
        JsonNode a = admin.post(PODS, pod("random-a", "")).json();
        JsonNode b = admin.post(PODS, pod("random-b", "")).json();
        String volume = a.at("/spec/volumes/0/name").asText();
        assertTrue(TOKEN_VOLUME.matcher(volume).matches(), volume);
        assertEquals(volume, a.at("/spec/containers/0/volumeMounts/0/name").asText());
        assertFalse(
                volume.equals(b.at("/spec/volumes/0/name").asText()), "two pods got the same volume name " + volume);
    }

    @Test
    void aMissingAccountIsRefusedWithTheReferenceStatus() {
        ApiClient.Response r = admin.post(PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"missing"},"spec":{"serviceAccountName":"nosuch","containers":[{"name":"c","image":"nginx"}]}}""");
        assertEquals(403, r.code());
        assertEquals(Golden.json("admission/status-missing-account.json"), r.json());
        assertEquals(404, admin.get(PODS + "/missing").code());
    }

    @Test
    void aMirrorPodMayNotReferenceSecrets() {
        ApiClient.Response r = admin.post(PODS, """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"mirror","annotations":{"kubernetes.io/config.mirror":"x"}},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx"}],"volumes":[{"name":"s","secret":{"secretName":"s"}}]}}""");
        assertEquals(403, r.code());
        assertEquals(Golden.json("admission/status-mirror-secrets.json"), r.json());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            generated name      | {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"gen-"},"spec":{"serviceAccountName":"nosuch","containers":[{"name":"c","image":"nginx"}]}} | pods "gen-" is forbidden: error looking up service account admission-golden/nosuch: serviceaccount "nosuch" not found
            deprecated field    | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"dep"},"spec":{"serviceAccount":"nosuch","containers":[{"name":"c","image":"nginx"}]}} | pods "dep" is forbidden: error looking up service account admission-golden/nosuch: serviceaccount "nosuch" not found
            mirror with account | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"m1","annotations":{"kubernetes.io/config.mirror":""}},"spec":{"serviceAccountName":"default","containers":[{"name":"c","image":"nginx"}]}} | pods "m1" is forbidden: a mirror pod may not reference service accounts
            explicit priority   | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"prio"},"spec":{"priority":5,"containers":[{"name":"c","image":"nginx"}]}} | pods "prio" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name
            unknown class       | {"apiVersion":"v1","kind":"Pod","metadata":{"name":"prio"},"spec":{"priorityClassName":"nosuch","containers":[{"name":"c","image":"nginx"}]}} | pods "prio" is forbidden: no PriorityClass with name nosuch was found
            """)
    void refusals(String what, String body, String message) {
        ApiClient.Response r = admin.post(PODS, body);
        assertEquals(403, r.code(), r.body());
        assertEquals(message, r.message());
    }

    @Test
    void theAccountsPullSecretsAreCopiedOnlyIntoPodsWithoutAny() {
        JsonNode own = admin.post(
                        PODS,
                        pod(
                                "own-pull",
                                "\"serviceAccountName\":\"puller\",\"imagePullSecrets\":[{\"name\":\"mine\"}],"))
                .json();
        assertEquals("[{\"name\":\"mine\"}]", own.at("/spec/imagePullSecrets").toString());
        JsonNode copied = admin.post(
                        PODS, pod("copied-pull", "\"serviceAccountName\":\"puller\",\"imagePullSecrets\":[],"))
                .json();
        assertEquals(
                "[{\"name\":\"regcred\"},{\"name\":\"other\"}]",
                copied.at("/spec/imagePullSecrets").toString());
        JsonNode none =
                admin.post(PODS, pod("no-pull", "\"imagePullSecrets\":[],")).json();
        assertTrue(none.at("/spec/imagePullSecrets").isMissingNode(), none.toString());
    }

    @ParameterizedTest(name = "pod {1}, account {0}: mounted {2}")
    @CsvSource(delimiter = '|', textBlock = """
            noauto  | unset | false
            noauto  | true  | true
            puller  | false | false
            puller  | unset | true
            """)
    void automountIsThePodsChoiceThenTheAccounts(String account, String podChoice, boolean mounted) {
        String name = ("auto-" + account + "-" + podChoice).toLowerCase();
        String extra = "\"serviceAccountName\":\"" + account + "\","
                + ("unset".equals(podChoice) ? "" : "\"automountServiceAccountToken\":" + podChoice + ",");
        JsonNode p = admin.post(PODS, pod(name, extra)).json();
        assertEquals(mounted, p.at("/spec/volumes").size() == 1, p.toString());
        assertEquals(mounted, p.at("/spec/containers/0/volumeMounts").size() == 1, p.toString());
    }

    @Test
    void theDefaultAccountOfANewNamespaceIsWaitedFor() {
        assertEquals(
                201,
                admin.post(
                                "/api/v1/namespaces",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"fresh\"}}")
                        .code());
        ApiClient.Response r = admin.post("/api/v1/namespaces/fresh/pods", pod("first", ""));
        assertEquals(201, r.code(), r.body());
        assertEquals("default", r.json().at("/spec/serviceAccountName").asText());
    }

    @Test
    void updatesKeepTheAccountAndGetTheTolerationsBack() {
        assertEquals(201, admin.post(PODS, pod("upd", "")).code());
        ApiClient.Response changed = admin.patch(
                PODS + "/upd", "{\"spec\":{\"serviceAccountName\":\"puller\"}}", "application/merge-patch+json");
        assertEquals(422, changed.code(), changed.body());
        ApiClient.Response dropped =
                admin.patch(PODS + "/upd", "{\"spec\":{\"tolerations\":null}}", "application/merge-patch+json");
        assertEquals(200, dropped.code(), dropped.body());
        assertEquals(2, dropped.json().at("/spec/tolerations").size());
        // admission undid the change, so the spec did not change and neither did the generation
        assertEquals(1, dropped.json().at("/metadata/generation").asInt());
        ApiClient.Response stillDefault = eventually(() -> admin.get(PODS + "/upd"), r -> r.code() == 200);
        assertEquals(
                "default", stillDefault.json().at("/spec/serviceAccountName").asText());
    }

    private static String pod(String name, String specFields) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + specFields + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}";
    }

    /** Pretty JSON (key order kept) with server-chosen values replaced and managedFields (not kept by the fake) dropped. */
    private static String normalised(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        ObjectNode meta = (ObjectNode) copy.get("metadata");
        meta.remove("managedFields");
        for (String f : new String[] {"uid", "resourceVersion", "creationTimestamp"}) {
            if (meta.has(f)) {
                meta.put(f, "<" + f + ">");
            }
        }
        Matcher m = TOKEN_VOLUME.matcher(copy.toPrettyString());
        return m.replaceAll("kube-api-access-<random>");
    }
}
