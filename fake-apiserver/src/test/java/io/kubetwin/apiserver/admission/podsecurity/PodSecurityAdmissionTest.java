package io.kubetwin.apiserver.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin's decisions on pods, pod controllers and namespaces, without a server (pure core). */
class PodSecurityAdmissionTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, ObjectNode> namespaces = new LinkedHashMap<>();
    private final List<ObjectNode> pods = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final AdmissionRecorder recorder = new AdmissionRecorder() {
        @Override
        public void warn(String text) {
            warnings.add(text);
        }

        @Override
        public void annotate(String key, String value) {
            annotations.putIfAbsent(key, value);
        }
    };

    private PodSecurityAdmission plugin(PodSecurityConfiguration config) {
        return new PodSecurityAdmission(config, Evaluator.defaultChecks(), new PodSecurityAdmission.Cluster() {
            @Override
            public Future<ObjectNode> namespace(String name) {
                ObjectNode ns = namespaces.get(name);
                return ns == null ? Future.failedFuture("not found") : Future.succeededFuture(ns);
            }

            @Override
            public Future<List<ObjectNode>> pods(String namespace) {
                return Future.succeededFuture(pods);
            }
        });
    }

    private static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) YAML.readTree(text);
    }

    private AdmissionAttributes attrs(
            Operation op,
            String group,
            String resource,
            String sub,
            String ns,
            String name,
            ObjectNode o,
            ObjectNode old) {
        String kind = resource.equals("namespaces") ? "Namespace" : resource.equals("pods") ? "Pod" : "Deployment";
        return new AdmissionAttributes(
                op,
                o,
                old,
                group,
                "v1",
                kind,
                group,
                resource,
                sub,
                ns,
                name,
                new UserInfo("u", "", List.of(), Map.of()),
                false,
                recorder);
    }

    private Throwable run(PodSecurityAdmission p, AdmissionAttributes a) {
        Future<Void> f = p.validate(a);
        assertTrue(f.isComplete());
        return f.cause();
    }

    @Test
    void podUpdatesAreCheckedOnlyWhenImagesOrContainersChange() throws Exception {
        namespaces.put("ns", yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: baseline}}}"));
        ObjectNode old = yaml("{metadata: {name: p}, spec: {hostPID: true, containers: [{name: a, image: x:1}]}}");
        ObjectNode relabelled = yaml(
                "{metadata: {name: p, labels: {x: y}}, spec: {hostPID: true, containers: [{name: a, image: x:1}]}}");
        PodSecurityAdmission p = plugin(PodSecurityConfiguration.DEFAULT);
        assertEquals(null, run(p, attrs(Operation.UPDATE, "", "pods", "", "ns", "p", relabelled, old)));
        assertTrue(annotations.isEmpty(), annotations.toString());

        ObjectNode debugged = yaml("{metadata: {name: p}, spec: {hostPID: true, containers: [{name: a, image: x:1}],"
                + " ephemeralContainers: [{name: dbg, image: busybox, securityContext: {privileged: true}}]}}");
        Throwable denied = run(p, attrs(Operation.UPDATE, "", "pods", "ephemeralcontainers", "ns", "p", debugged, old));
        assertEquals(
                "pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostPID=true), "
                        + "privileged (container \"dbg\" must not set securityContext.privileged=true)",
                ((StatusException) denied).status().message());
        assertEquals("baseline:latest", annotations.get("pod-security.kubernetes.io/enforce-policy"));

        // status writes are never checked
        assertEquals(null, run(p, attrs(Operation.UPDATE, "", "pods", "status", "ns", "p", debugged, old)));
    }

    @Test
    void controllersWarnButAreNeverDeniedAndTheirSubresourcesAreSkipped() throws Exception {
        namespaces.put("ns", yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: restricted}}}"));
        ObjectNode rc = yaml(
                "{metadata: {name: r}, spec: {template: {spec: {hostIPC: true, securityContext: {runAsNonRoot: true,"
                        + " seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {allowPrivilegeEscalation: false,"
                        + " capabilities: {drop: [ALL]}}}]}}}}");
        PodSecurityAdmission p = plugin(PodSecurityConfiguration.DEFAULT);
        assertEquals(null, run(p, attrs(Operation.CREATE, "", "replicationcontrollers", "", "ns", "r", rc, null)));
        assertEquals(
                List.of("would violate PodSecurity \"restricted:latest\": host namespaces (hostIPC=true)"), warnings);
        warnings.clear();
        assertEquals(null, run(p, attrs(Operation.UPDATE, "", "replicationcontrollers", "scale", "ns", "r", rc, rc)));
        // a ReplicationController without a template has nothing to check
        assertEquals(
                null,
                run(p, attrs(Operation.CREATE, "", "replicationcontrollers", "", "ns", "r", yaml("{spec: {}}"), null)));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void raisingEnforceCountsPodsPerReasonAndChecksOneReplicaPerControllerFirst() throws Exception {
        ObjectNode before = yaml("{metadata: {name: ns}}");
        ObjectNode after = yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: baseline,"
                + " pod-security.kubernetes.io/enforce-version: v1.30}}}");
        for (String name : List.of("z", "y", "x")) {
            pods.add(yaml("{metadata: {name: " + name + "}, spec: {hostNetwork: true, containers: [{name: a}]}}"));
        }
        pods.add(yaml("{metadata: {name: w}, spec: {runtimeClassName: kata, hostPID: true, containers: [{name: a}]}}"));
        PodSecurityConfiguration config =
                new PodSecurityConfiguration(NamespacePolicy.PRIVILEGED, List.of(), List.of(), List.of("kata"));
        assertEquals(null, run(plugin(config), attrs(Operation.UPDATE, "", "namespaces", "", "", "ns", after, before)));
        assertEquals(
                List.of(
                        "existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"baseline:v1.30\"",
                        "x (and 2 other pods): host namespaces"),
                warnings);
        warnings.clear();
        // the same version at a lower level checks nothing
        ObjectNode lower = yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: privileged,"
                + " pod-security.kubernetes.io/enforce-version: v1.30}}}");
        assertEquals(null, run(plugin(config), attrs(Operation.UPDATE, "", "namespaces", "", "", "ns", lower, after)));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void invalidLabelsAlreadyThereDoNotBlockOtherUpdates() throws Exception {
        ObjectNode bad = yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: nope, team: a}}}");
        ObjectNode stillBad =
                yaml("{metadata: {name: ns, labels: {pod-security.kubernetes.io/enforce: nope, team: b}}}");
        PodSecurityAdmission p = plugin(PodSecurityConfiguration.DEFAULT);
        assertEquals(null, run(p, attrs(Operation.UPDATE, "", "namespaces", "", "", "ns", stillBad, bad)));
        Throwable e = run(p, attrs(Operation.CREATE, "", "namespaces", "", "", "ns", bad, null));
        assertEquals(
                "Namespace \"ns\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                        + "\"nope\": must be one of privileged, baseline, restricted",
                ((StatusException) e).status().message());
        // pods in such a namespace are checked against restricted, with the label error audited
        namespaces.put("ns", bad);
        Throwable denied = run(
                p,
                attrs(
                        Operation.CREATE,
                        "",
                        "pods",
                        "",
                        "ns",
                        "p",
                        yaml(
                                "{metadata: {name: p}, spec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: a}]}}"),
                        null));
        assertEquals(null, denied);
        assertEquals(
                "Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"nope\": "
                        + "must be one of privileged, baseline, restricted",
                annotations.get("pod-security.kubernetes.io/error"));
        assertEquals("restricted:latest", annotations.get("pod-security.kubernetes.io/enforce-policy"));
    }

    @Test
    void configurationIsValidatedAsUpstream() throws Exception {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () -> PodSecurityConfiguration.parse(java.util.Optional.of(
                        yaml("{apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration,"
                                + " defaults: {enforce: strict}, exemptions: {usernames: [a, a]}}"))));
        assertEquals(
                "PodSecurity invalid: [defaults.enforce: Invalid value: \"strict\": must be one of privileged, baseline, "
                        + "restricted, exemptions.usernames[1]: Duplicate value: \"a\"]",
                e.getMessage());
    }
}
