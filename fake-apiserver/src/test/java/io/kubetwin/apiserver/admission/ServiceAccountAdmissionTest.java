package io.kubetwin.apiserver.admission;

import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.NS;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.attrs;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.create;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.json;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.outcome;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ServiceAccount plugin's core against in-memory accounts; expected values from admission.go and the reference. */
class ServiceAccountAdmissionTest {
    /** The token volume as upstream's TokenVolumeSource writes it, with the fixed name of this test's generator. */
    static final String VOLUME = "{\"name\":\"kube-api-access-abcde\",\"projected\":{\"sources\":["
            + "{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
            + "{\"configMap\":{\"name\":\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}},"
            + "{\"downwardAPI\":{\"items\":[{\"path\":\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"metadata.namespace\"}}]}}],"
            + "\"defaultMode\":420}}";

    static final String MOUNT =
            "{\"name\":\"kube-api-access-abcde\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}";

    static final Map<String, ObjectNode> ACCOUNTS = Map.of(
            "default", account("{\"metadata\":{\"name\":\"default\"}}"),
            "puller",
                    account(
                            "{\"metadata\":{\"name\":\"puller\"},\"imagePullSecrets\":[{\"name\":\"a\"},{\"name\":\"b\"}]}"),
            "noauto", account("{\"metadata\":{\"name\":\"noauto\"},\"automountServiceAccountToken\":false}"),
            "strict",
                    account(
                            "{\"metadata\":{\"name\":\"strict\",\"annotations\":{\"kubernetes.io/enforce-mountable-secrets\":\"true\"}},"
                                    + "\"secrets\":[{\"name\":\"ok\"}],\"imagePullSecrets\":[{\"name\":\"pull\"}]}"),
            "lax",
                    account(
                            "{\"metadata\":{\"name\":\"lax\",\"annotations\":{\"kubernetes.io/enforce-mountable-secrets\":\"yes\"}}}"));

    static ObjectNode account(String json) {
        return json(json);
    }

    static ServiceAccountAdmission plugin(Map<String, ObjectNode> accounts) {
        return new ServiceAccountAdmission(
                (ns, name) -> Future.succeededFuture(Optional.ofNullable(NS.equals(ns) ? accounts.get(name) : null)
                        .map(ServiceAccountInfo::of)),
                ServiceAccountAdmission.Pause.none(),
                prefix -> prefix + "abcde");
    }

    static final ServiceAccountAdmission PLUGIN = plugin(ACCOUNTS);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bare pod | {"containers":[{"name":"c"}]} | {"containers":[{"name":"c","volumeMounts":[$M]}],"serviceAccountName":"default","volumes":[$V]}
            init containers too, ephemeral ones not | {"initContainers":[{"name":"i"}],"containers":[{"name":"c","volumeMounts":[{"name":"d","mountPath":"/d"}]}],"ephemeralContainers":[{"name":"e"}]} | {"initContainers":[{"name":"i","volumeMounts":[$M]}],"containers":[{"name":"c","volumeMounts":[{"name":"d","mountPath":"/d"},$M]}],"ephemeralContainers":[{"name":"e"}],"serviceAccountName":"default","volumes":[$V]}
            a container mounting the path keeps its mount | {"containers":[{"name":"a","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]},{"name":"b"}],"volumes":[{"name":"own"}]} | {"containers":[{"name":"a","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]},{"name":"b","volumeMounts":[$M]}],"volumes":[{"name":"own"},$V],"serviceAccountName":"default"}
            no container needs the volume | {"containers":[{"name":"a","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}]} | {"containers":[{"name":"a","volumeMounts":[{"name":"own","mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],"serviceAccountName":"default"}
            the first kube-api-access- volume is reused as it is | {"containers":[{"name":"c"}],"volumes":[{"name":"x"},{"name":"kube-api-access-mine","emptyDir":{}},{"name":"kube-api-access-two"}]} | {"containers":[{"name":"c","volumeMounts":[{"name":"kube-api-access-mine","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],"volumes":[{"name":"x"},{"name":"kube-api-access-mine","emptyDir":{}},{"name":"kube-api-access-two"}],"serviceAccountName":"default"}
            pod opts out | {"automountServiceAccountToken":false,"containers":[{"name":"c"}]} | {"automountServiceAccountToken":false,"containers":[{"name":"c"}],"serviceAccountName":"default"}
            account opts out | {"serviceAccountName":"noauto","containers":[{"name":"c"}]} | {"serviceAccountName":"noauto","containers":[{"name":"c"}]}
            pod opts in over the account | {"serviceAccountName":"noauto","automountServiceAccountToken":true,"containers":[{"name":"c"}]} | {"serviceAccountName":"noauto","automountServiceAccountToken":true,"containers":[{"name":"c","volumeMounts":[$M]}],"volumes":[$V]}
            the account's pull secrets are copied | {"serviceAccountName":"puller","automountServiceAccountToken":false,"containers":[{"name":"c"}]} | {"serviceAccountName":"puller","automountServiceAccountToken":false,"containers":[{"name":"c"}],"imagePullSecrets":[{"name":"a"},{"name":"b"}]}
            into an empty list too | {"serviceAccountName":"puller","automountServiceAccountToken":false,"imagePullSecrets":[],"containers":[{"name":"c"}]} | {"serviceAccountName":"puller","automountServiceAccountToken":false,"imagePullSecrets":[{"name":"a"},{"name":"b"}],"containers":[{"name":"c"}]}
            the pod's own pull secrets win | {"serviceAccountName":"puller","automountServiceAccountToken":false,"imagePullSecrets":[{"name":"mine"}],"containers":[{"name":"c"}]} | {"serviceAccountName":"puller","automountServiceAccountToken":false,"imagePullSecrets":[{"name":"mine"}],"containers":[{"name":"c"}]}
            an empty list with nothing to copy is dropped | {"automountServiceAccountToken":false,"imagePullSecrets":[],"containers":[{"name":"c"}]} | {"automountServiceAccountToken":false,"containers":[{"name":"c"}],"serviceAccountName":"default"}
            a mirror pod is left alone | {"nodeName":"n","containers":[{"name":"c"}]} | {"nodeName":"n","containers":[{"name":"c"}]}
            """)
    void mutatesNewPods(String what, String spec, String expected) {
        ObjectNode pod =
                what.startsWith("a mirror pod") ? pod("{\"kubernetes.io/config.mirror\":\"x\"}", spec) : pod(spec);
        assertEquals("-", outcome(PLUGIN.admit(create(pod))));
        assertEquals(
                expected.replace("$V", VOLUME).replace("$M", MOUNT),
                pod.get("spec").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing account | {"serviceAccountName":"nosuch","containers":[{"name":"c"}]} | 403 pods "p" is forbidden: error looking up service account ns/nosuch: serviceaccount "nosuch" not found
            strict: allowed secrets | {"serviceAccountName":"strict","containers":[{"name":"c","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"ok"}}}]}],"volumes":[{"name":"s","secret":{"secretName":"ok"}},{"name":"p","projected":{"sources":[{"secret":{"name":"any"}}]}}]} | -
            strict: secret volume first | {"serviceAccountName":"strict","containers":[{"name":"c","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"x"}}}]}],"volumes":[{"name":"s","secret":{"secretName":"nope"}}]} | 403 pods "p" is forbidden: volume with secret.secretName="nope" is not allowed because service account strict does not reference that secret
            strict: init containers before containers | {"serviceAccountName":"strict","initContainers":[{"name":"i","envFrom":[{"secretRef":{"name":"nope"}}]}],"containers":[{"name":"c","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"x"}}}]}]} | 403 pods "p" is forbidden: init container i with envFrom referencing secret.secretName="nope" is not allowed because service account strict does not reference that secret
            strict: env before envFrom | {"serviceAccountName":"strict","containers":[{"name":"c","envFrom":[{"secretRef":{"name":"y"}}],"env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"x"}}}]}]} | 403 pods "p" is forbidden: container c with envVar E referencing secret.secretName="x" is not allowed because service account strict does not reference that secret
            strict: container envFrom | {"serviceAccountName":"strict","containers":[{"name":"c","envFrom":[{"secretRef":{"name":"y"}}]}]} | 403 pods "p" is forbidden: container c with envFrom referencing secret.secretName="y" is not allowed because service account strict does not reference that secret
            strict: pull secrets after the copy | {"serviceAccountName":"strict","imagePullSecrets":[{"name":"pull"},{"name":"x"}],"containers":[{"name":"c"}]} | 403 pods "p" is forbidden: imagePullSecrets[1].name="x" is not allowed because service account strict does not reference that imagePullSecret
            strict: copied pull secrets pass | {"serviceAccountName":"strict","containers":[{"name":"c"}]} | -
            only ParseBool's true enforces | {"serviceAccountName":"lax","containers":[{"name":"c","envFrom":[{"secretRef":{"name":"y"}}]}]} | -
            """)
    void refusesOnCreate(String what, String spec, String expected) {
        assertEquals(expected, outcome(PLUGIN.admit(create(pod(spec)))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain | {"nodeName":"n","containers":[{"name":"c"}],"volumes":[{"name":"v","configMap":{"name":"cm"}}]} | -
            account | {"serviceAccountName":"default","containers":[{"name":"c"}]} | a mirror pod may not reference service accounts
            pull secret | {"imagePullSecrets":[{"name":"s"}],"containers":[{"name":"c"}]} | a mirror pod may not reference secrets
            empty pull secret name | {"imagePullSecrets":[{"name":""}],"containers":[{"name":"c"}]} | -
            env | {"containers":[{"name":"c","env":[{"name":"E","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}}]}]} | a mirror pod may not reference secrets
            ephemeral envFrom | {"containers":[{"name":"c"}],"ephemeralContainers":[{"name":"e","envFrom":[{"secretRef":{"name":"s"}}]}]} | a mirror pod may not reference secrets
            secret volume | {"containers":[{"name":"c"}],"volumes":[{"name":"v","secret":{"secretName":"s"}}]} | a mirror pod may not reference secrets
            projected secret | {"containers":[{"name":"c"}],"volumes":[{"name":"v","projected":{"sources":[{"secret":{"name":"s"}}]}}]} | a mirror pod may not reference secrets
            azureFile | {"containers":[{"name":"c"}],"volumes":[{"name":"v","azureFile":{"secretName":"s","shareName":"x"}}]} | a mirror pod may not reference secrets
            cephfs | {"containers":[{"name":"c"}],"volumes":[{"name":"v","cephfs":{"monitors":["m"],"secretRef":{"name":"s"}}}]} | a mirror pod may not reference secrets
            rbd | {"containers":[{"name":"c"}],"volumes":[{"name":"v","rbd":{"image":"i","secretRef":{"name":"s"}}}]} | a mirror pod may not reference secrets
            iscsi | {"containers":[{"name":"c"}],"volumes":[{"name":"v","iscsi":{"iqn":"q","secretRef":{"name":"s"}}}]} | a mirror pod may not reference secrets
            csi | {"containers":[{"name":"c"}],"volumes":[{"name":"v","csi":{"driver":"d","nodePublishSecretRef":{"name":"s"}}}]} | a mirror pod may not reference secrets
            csi without secret | {"containers":[{"name":"c"}],"volumes":[{"name":"v","csi":{"driver":"d","nodePublishSecretRef":null}}]} | -
            token projection | {"containers":[{"name":"c"}],"volumes":[{"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]} | a mirror pod may not use ServiceAccountToken volume projections
            """)
    void mirrorPods(String what, String spec, String refusal) {
        AdmissionAttributes a = create(pod("{\"kubernetes.io/config.mirror\":\"\"}", spec));
        String expected = "-".equals(refusal) ? "-" : "403 pods \"p\" is forbidden: " + refusal;
        assertEquals(expected, outcome(PLUGIN.admit(a)));
        assertEquals(expected, outcome(PLUGIN.validate(a)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing default account is retried | default | 0 | 10 | 9 | 403 pods "p" is forbidden: error looking up service account ns/default: serviceaccount "default" not found
            the controller creates it meanwhile | default | 3 | 3 | 2 | -
            other accounts are looked up once | other | 0 | 1 | 0 | 403 pods "p" is forbidden: error looking up service account ns/other: serviceaccount "other" not found
            """)
    void waitsForTheDefaultAccount(
            String what, String account, int appearsAt, int lookups, int pauses, String expected) {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> waits = new ArrayList<>();
        ServiceAccountAdmission plugin = new ServiceAccountAdmission(
                (ns, name) -> Future.succeededFuture(
                        calls.incrementAndGet() >= appearsAt && appearsAt > 0
                                ? Optional.of(ServiceAccountInfo.of(ACCOUNTS.get("default")))
                                : Optional.empty()),
                d -> {
                    waits.add(d);
                    return Future.succeededFuture();
                },
                p -> p + "abcde");
        ObjectNode pod = pod("{\"serviceAccountName\":\"" + account
                + "\",\"automountServiceAccountToken\":false,\"containers\":[]}");
        // the validating half (run at the end of admit) looks the account up once more
        Future<Void> admitted = plugin.admit(create(pod));
        assertEquals(expected, outcome(admitted));
        assertEquals(lookups + (admitted.succeeded() ? 1 : 0), calls.get());
        assertEquals(pauses, waits.size());
        waits.forEach(d -> assertEquals(true, d.toMillis() >= 100 && d.toMillis() < 200, d.toString()));
    }

    @Test
    void anUnreadableAccountIsRefused() {
        ServiceAccountAdmission plugin = new ServiceAccountAdmission(
                (ns, name) -> Future.failedFuture(new IllegalStateException("etcd down")),
                ServiceAccountAdmission.Pause.none(),
                p -> p + "abcde");
        assertEquals(
                "403 pods \"p\" is forbidden: error looking up service account ns/default: etcd down",
                outcome(plugin.admit(create(pod("{\"containers\":[]}")))));
    }

    @Test
    void generateNameIsTheNameInRefusals() {
        ObjectNode pod = json("{\"metadata\":{\"generateName\":\"gen-\"},\"spec\":{\"serviceAccountName\":\"x\"}}");
        assertEquals(
                "403 pods \"gen-\" is forbidden: error looking up service account ns/x: serviceaccount \"x\" not found",
                outcome(PLUGIN.admit(create(pod))));
    }

    @Test
    void validationWantsAnAccount() {
        assertEquals(
                "403 pods \"p\" is forbidden: no service account specified for pod ns/p",
                outcome(PLUGIN.validate(create(pod("{\"containers\":[]}")))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            strict account refuses | {"serviceAccountName":"strict","ephemeralContainers":[{"name":"dbg","env":[{"name":"X","valueFrom":{"secretKeyRef":{"name":"stolen"}}}]}]} | 500 ephemeral container dbg with envVar X referencing secret.secretName="stolen" is not allowed because service account strict does not reference that secret
            envFrom too | {"serviceAccountName":"strict","ephemeralContainers":[{"name":"dbg","envFrom":[{"secretRef":{"name":"stolen"}}]}]} | 500 ephemeral container dbg with envFrom referencing secret.secretName="stolen" is not allowed because service account strict does not reference that secret
            allowed secret | {"serviceAccountName":"strict","ephemeralContainers":[{"name":"dbg","envFrom":[{"secretRef":{"name":"ok"}}]}]} | -
            other accounts do not enforce | {"serviceAccountName":"default","ephemeralContainers":[{"name":"dbg","envFrom":[{"secretRef":{"name":"stolen"}}]}]} | -
            no account | {"ephemeralContainers":[{"name":"dbg"}]} | 403 pods "p" is forbidden: no service account specified for pod ns/p
            missing account | {"serviceAccountName":"gone","ephemeralContainers":[{"name":"dbg"}]} | 403 pods "p" is forbidden: error looking up service account ns/gone: serviceaccount "gone" not found
            """)
    void ephemeralContainers(String what, String spec, String expected) {
        ObjectNode pod = pod(spec);
        AdmissionAttributes a = attrs(Operation.UPDATE, "pods", "ephemeralcontainers", pod, pod.deepCopy());
        assertEquals("-", outcome(PLUGIN.admit(a)));
        assertEquals(pod(spec), pod);
        assertEquals(expected, outcome(PLUGIN.validate(a)));
    }

    @ParameterizedTest(name = "{0} {1}/{2}")
    @CsvSource(delimiter = '|', textBlock = """
            UPDATE | pods | ''
            CREATE | pods | status
            CREATE | pods | binding
            CREATE | configmaps | ''
            """)
    void leavesOtherRequestsAlone(Operation op, String resource, String subresource) {
        ObjectNode pod = pod("{\"serviceAccountName\":\"nosuch\",\"containers\":[{\"name\":\"c\"}]}");
        AdmissionAttributes a = attrs(op, resource, subresource, pod, op == Operation.UPDATE ? pod.deepCopy() : null);
        assertEquals("-", outcome(PLUGIN.admit(a)));
        assertEquals("-", outcome(PLUGIN.validate(a)));
        assertEquals(pod("{\"serviceAccountName\":\"nosuch\",\"containers\":[{\"name\":\"c\"}]}"), pod);
    }
}
