package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The writes whose answers {@link ServerSideApplyTest} compares with the reference: kubectl-like creates, server-side
 * applies by two managers with a conflict and --force-conflicts, edit-like updates, label patches and status writes
 * on ConfigMaps, a Pod, a ServiceAccount, RBAC and a custom resource. {@link #main} records them from a real
 * cluster: {@code java ... ApplyScript KUBECONFIG OUT.jsonl} (see the golden file's README).
 */
final class ApplyScript {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "/api/v1/namespaces/ssa-test";
    static final String APPLY = "application/apply-patch+yaml";
    static final String MERGE = "application/merge-patch+json";
    static final String STRATEGIC = "application/strategic-merge-patch+json";
    static final String CRD_PATH = "/apis/apply.kubetwin.io/v1/namespaces/ssa-test/widgets";

    /** One request, sent with {@code userAgent} (a kubectl-like one names the manager). */
    record Step(String name, String method, String path, String contentType, String body, String userAgent) {}

    static Step step(String name, String method, String path, String contentType, String body, String userAgent) {
        return new Step(name, method, path, contentType, body, userAgent);
    }

    static final List<Step> STEPS = List.of(
            step(
                    "create namespace",
                    "POST",
                    "/api/v1/namespaces",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ssa-test\"}}",
                    "kubectl-create/v1.32.4"),
            step(
                    "kubectl create configmap",
                    "POST",
                    NS + "/configmaps",
                    "application/json",
                    "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm-a\",\"creationTimestamp\":null},\"data\":{\"k\":\"v\"}}",
                    "kubectl-create/v1.32.4 (linux/amd64) kubernetes/abcdef"),
            step(
                    "apply creates",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=kubectl",
                    APPLY,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-b\n  labels:\n    app: one\ndata:\n  a: \"1\"\n  b: \"2\"\n",
                    "kubectl/v1.32.4"),
            step(
                    "merge patch by another manager",
                    "PATCH",
                    NS + "/configmaps/cm-b",
                    MERGE,
                    "{\"data\":{\"a\":\"changed\"}}",
                    "kubectl-patch/v1.32.4"),
            step(
                    "apply again conflicts",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=kubectl",
                    APPLY,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-b\n  labels:\n    app: one\ndata:\n  a: \"1\"\n  b: \"2\"\n",
                    "kubectl/v1.32.4"),
            step(
                    "apply with force",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=kubectl&force=true",
                    APPLY,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-b\n  labels:\n    app: one\ndata:\n  a: \"1\"\n  b: \"2\"\n",
                    "kubectl/v1.32.4"),
            step(
                    "second applier shares a value",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=other",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-b\"},\"data\":{\"b\":\"2\",\"c\":\"3\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "applier drops fields",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=kubectl",
                    APPLY,
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-b\ndata:\n  a: \"1\"\n",
                    "kubectl/v1.32.4"),
            step(
                    "two conflicts",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=third",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-b\"},\"data\":{\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "label patch",
                    "PATCH",
                    NS + "/configmaps/cm-b",
                    STRATEGIC,
                    "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}",
                    "kubectl-label/v1.32.4"),
            step("get", "GET", NS + "/configmaps/cm-b", null, null, "kubetwin-test/1.0"),
            step(
                    "apply without fieldManager",
                    "PATCH",
                    NS + "/configmaps/cm-b",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-b\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "force on a merge patch",
                    "PATCH",
                    NS + "/configmaps/cm-b?force=true",
                    MERGE,
                    "{}",
                    "kubetwin-test/1.0"),
            step(
                    "apply of another kind",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=m",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"cm-b\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "apply of an unknown field",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=m",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-b\"},\"foo\":1}",
                    "kubetwin-test/1.0"),
            step(
                    "apply with managedFields",
                    "PATCH",
                    NS + "/configmaps/cm-b?fieldManager=m",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-b\",\"managedFields\":[]}}",
                    "kubetwin-test/1.0"),
            step(
                    "create with managedFields",
                    "POST",
                    NS + "/configmaps",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-m\",\"managedFields\":[{\"manager\":\"someone\","
                            + "\"operation\":\"Apply\",\"apiVersion\":\"v1\",\"time\":\"2020-01-01T00:00:00Z\",\"fieldsType\":\"FieldsV1\","
                            + "\"fieldsV1\":{\"f:data\":{\"f:x\":{}}}}]},\"data\":{\"x\":\"1\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "update with invalid managedFields keeps the recorded ones",
                    "PUT",
                    NS + "/configmaps/cm-m",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-m\",\"managedFields\":[{\"manager\":\"x\","
                            + "\"operation\":\"Bogus\",\"apiVersion\":\"v1\",\"fieldsType\":\"FieldsV1\"}]},\"data\":{\"x\":\"2\"}}",
                    "kubectl-replace/v1.32.4"),
            step(
                    "update with an empty list clears managedFields",
                    "PUT",
                    NS + "/configmaps/cm-m",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-m\",\"managedFields\":[]},\"data\":{\"x\":\"3\"}}",
                    "kubectl-replace/v1.32.4"),
            step(
                    "an untracked object stays untracked",
                    "PATCH",
                    NS + "/configmaps/cm-m",
                    MERGE,
                    "{\"data\":{\"y\":\"4\"}}",
                    "kubectl-patch/v1.32.4"),
            step(
                    "the first apply gives what exists to before-first-apply",
                    "PATCH",
                    NS + "/configmaps/cm-m?fieldManager=kubectl",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-m\"},\"data\":{\"z\":\"5\"}}",
                    "kubectl/v1.32.4"),
            step(
                    "kubectl run pod",
                    "POST",
                    NS + "/pods",
                    "application/json",
                    "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web\",\"creationTimestamp\":null,\"labels\":{\"run\":\"web\"}},"
                            + "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}],\"resources\":{}}],"
                            + "\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\"},\"status\":{}}",
                    "kubectl-run/v1.32.4"),
            step(
                    "apply pod labels",
                    "PATCH",
                    NS + "/pods/web?fieldManager=labeler",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"labels\":{\"team\":\"a\"}}}",
                    "kubetwin-test/1.0"),
            step(
                    "apply pod container conflict",
                    "PATCH",
                    NS + "/pods/web?fieldManager=labeler",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.28\"}]}}",
                    "kubetwin-test/1.0"),
            step(
                    "pod status patch",
                    "PATCH",
                    NS + "/pods/web/status",
                    MERGE,
                    "{\"status\":{\"message\":\"waiting\",\"reason\":\"Test\"}}",
                    "kubelet/v1.34.4"),
            step(
                    "apply to the status subresource conflicts",
                    "PATCH",
                    NS + "/pods/web/status?fieldManager=status-applier",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"status\":{\"message\":\"applied\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "forced apply to the status subresource",
                    "PATCH",
                    NS + "/pods/web/status?fieldManager=status-applier&force=true",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"status\":{\"message\":\"applied\"}}",
                    "kubetwin-test/1.0"),
            step(
                    "apply serviceaccount",
                    "PATCH",
                    NS + "/serviceaccounts/robot?fieldManager=kubectl",
                    APPLY,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\",\"annotations\":{\"a\":\"1\"}},"
                            + "\"automountServiceAccountToken\":false,\"imagePullSecrets\":[{\"name\":\"pull\"}],\"secrets\":[{\"name\":\"s1\"}]}",
                    "kubectl/v1.32.4"),
            step(
                    "edit serviceaccount",
                    "PUT",
                    NS + "/serviceaccounts/robot",
                    "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"robot\",\"namespace\":\"ssa-test\",\"annotations\":{\"a\":\"2\"}},"
                            + "\"automountServiceAccountToken\":false,\"imagePullSecrets\":[{\"name\":\"pull\"}],\"secrets\":[{\"name\":\"s1\"},{\"name\":\"s2\"}]}",
                    "kubectl-edit/v1.32.4"),
            step(
                    "apply role",
                    "PATCH",
                    "/apis/rbac.authorization.k8s.io/v1/namespaces/ssa-test/roles/reader?fieldManager=kubectl",
                    APPLY,
                    "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list]\n",
                    "kubectl/v1.32.4"),
            step(
                    "apply role rules conflict",
                    "PATCH",
                    "/apis/rbac.authorization.k8s.io/v1/namespaces/ssa-test/roles/reader?fieldManager=other",
                    APPLY,
                    "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get]\n",
                    "kubetwin-test/1.0"),
            step(
                    "apply rolebinding",
                    "PATCH",
                    "/apis/rbac.authorization.k8s.io/v1/namespaces/ssa-test/rolebindings/read?fieldManager=kubectl",
                    APPLY,
                    "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":\"read\"},"
                            + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"reader\"},"
                            + "\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\",\"apiGroup\":\"rbac.authorization.k8s.io\"}]}",
                    "kubectl/v1.32.4"),
            step(
                    "create crd",
                    "POST",
                    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                    "application/json",
                    "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"metadata\":{\"name\":\"widgets.apply.kubetwin.io\"},"
                            + "\"spec\":{\"group\":\"apply.kubetwin.io\",\"scope\":\"Namespaced\",\"names\":{\"plural\":\"widgets\",\"singular\":\"widget\",\"kind\":\"Widget\",\"listKind\":\"WidgetList\"},"
                            + "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{"
                            + "\"spec\":{\"type\":\"object\",\"properties\":{\"size\":{\"type\":\"integer\"},\"color\":{\"type\":\"string\"},"
                            + "\"ports\":{\"type\":\"array\",\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],\"items\":{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\"},\"port\":{\"type\":\"integer\"}}}},"
                            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}},"
                            + "\"status\":{\"type\":\"object\",\"properties\":{\"ready\":{\"type\":\"boolean\"}}}}}}}]}}",
                    "kubectl-create/v1.32.4"),
            step(
                    "apply custom resource",
                    "PATCH",
                    CRD_PATH + "/w1?fieldManager=kubectl",
                    APPLY,
                    "apiVersion: apply.kubetwin.io/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 1\n  color: red\n  ports:\n  - name: http\n    port: 80\n  tags: [a, b]\n",
                    "kubectl/v1.32.4"),
            step(
                    "custom resource conflict",
                    "PATCH",
                    CRD_PATH + "/w1?fieldManager=other",
                    APPLY,
                    "apiVersion: apply.kubetwin.io/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 2\n  ports:\n  - name: http\n    port: 81\n  - name: https\n    port: 443\n",
                    "kubetwin-test/1.0"),
            step(
                    "custom resource force",
                    "PATCH",
                    CRD_PATH + "/w1?fieldManager=other&force=true",
                    APPLY,
                    "apiVersion: apply.kubetwin.io/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 2\n  ports:\n  - name: http\n    port: 81\n  - name: https\n    port: 443\n",
                    "kubetwin-test/1.0"),
            step(
                    "custom resource status",
                    "PATCH",
                    CRD_PATH + "/w1/status",
                    MERGE,
                    "{\"status\":{\"ready\":true}}",
                    "widget-controller/v0.1"),
            step(
                    "custom resource edit",
                    "PATCH",
                    CRD_PATH + "/w1",
                    MERGE,
                    "{\"spec\":{\"size\":3,\"color\":\"blue\",\"tags\":[\"c\"]}}",
                    "kubectl-edit/v1.32.4"),
            step(
                    "custom resource apply drops a list item",
                    "PATCH",
                    CRD_PATH + "/w1?fieldManager=other",
                    APPLY,
                    "apiVersion: apply.kubetwin.io/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n  ports:\n  - name: https\n    port: 443\n",
                    "kubetwin-test/1.0"),
            // written at start-up: the bootstrap policy by kube-apiserver, the aggregated rules applied by the
            // clusterrole-aggregation-controller
            step(
                    "aggregated cluster role",
                    "GET",
                    "/apis/rbac.authorization.k8s.io/v1/clusterroles/view",
                    null,
                    null,
                    "kubetwin-test/1.0"),
            step("system namespace", "GET", "/api/v1/namespaces/kube-public", null, null, "kubetwin-test/1.0"));

    /** Sends one step; a custom resource's first request waits for its CRD to be served. */
    static ApiClient.Response send(ApiClient client, Step s) {
        for (int i = 0; ; i++) {
            ApiClient.Response r =
                    client.send(s.method(), s.path(), s.body(), s.contentType(), "User-Agent", s.userAgent());
            boolean notServedYet =
                    s.path().startsWith(CRD_PATH) && r.code() == 404 && r.body().contains("page not found");
            if (!notServedYet || i > 50) {
                return r;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    /** The answer with what differs between runs replaced: uids, versions, times, generated names. */
    static ObjectNode normalize(ApiClient.Response r) throws Exception {
        ObjectNode out = JSON.createObjectNode();
        out.put("code", r.code());
        JsonNode body = JSON.readTree(r.body());
        scrub(body);
        if (body.at("/metadata/managedFields") instanceof ArrayNode managed) {
            // entries written in the same second sort by manager: order them so, whatever the seconds were
            List<JsonNode> entries = new ArrayList<>();
            managed.forEach(entries::add);
            entries.sort(
                    Comparator.comparing((JsonNode e) -> e.path("operation").asText())
                            .thenComparing(e -> e.path("manager").asText())
                            .thenComparing(e -> e.path("subresource").asText()));
            managed.removeAll();
            entries.forEach(managed::add);
        }
        if (body.at("/details/causes") instanceof ArrayNode causes) {
            // upstream lists the causes of a conflict in Go map order, which varies between runs
            List<JsonNode> sorted = new ArrayList<>();
            causes.forEach(sorted::add);
            sorted.sort(Comparator.comparing(JsonNode::toString));
            causes.removeAll();
            sorted.forEach(causes::add);
        }
        out.set("body", body);
        return out;
    }

    private static void scrub(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                JsonNode v = o.get(n);
                if (v.isTextual()
                        && List.of(
                                        "uid",
                                        "resourceVersion",
                                        "creationTimestamp",
                                        "time",
                                        "lastTransitionTime",
                                        "lastProbeTime")
                                .contains(n)) {
                    o.put(n, "<" + n + ">");
                } else if (v.isTextual() && v.asText().startsWith("kube-api-access-")) {
                    o.put(n, "kube-api-access-<x>");
                } else if (n.startsWith("k:{\"name\":\"kube-api-access-")) {
                    o.remove(n);
                    o.set("k:{\"name\":\"kube-api-access-<x>\"}", v);
                    scrub(v);
                } else {
                    scrub(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(ApplyScript::scrub);
        }
    }

    /** Records the answers of a real cluster: ApplyScript ADMIN_KUBECONFIG OUT (one normalized answer per line). */
    public static void main(String[] args) throws Exception {
        ApiClient client = ApiClient.of(Kubeconfig.read(Path.of(args[0])));
        List<String> lines = new ArrayList<>();
        for (Step s : STEPS) {
            lines.add(JSON.writeValueAsString(Map.of("step", s.name(), "answer", normalize(send(client, s)))));
        }
        Files.write(Path.of(args[1]), lines);
    }
}
