package io.kubetwin.apiserver.authz.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A kubelet's identity against {@code --authorization-mode=Node,RBAC} and NodeRestriction, over TLS with client
 * certificates from the cluster CA. Every status and message was recorded from kube-apiserver v1.34.4 started by
 * ci/reference/run-reference.sh with {@code --enable-admission-plugins=NodeRestriction} and the same objects.
 */
class NodeAuthorizationOverTlsTest {
    static final String MERGE = "application/merge-patch+json";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b ->
                    b.authorizationModes(List.of("Node", "RBAC")).enableAdmissionPlugins(List.of("NodeRestriction")))
            .build();

    private static ApiClient node1;
    private static String node1Uid;
    private static String p1Uid;
    private static String p2Uid;

    /**
     * One server for the class: the writes that succeed (labels the kubelet may set, its status, a mirror pod)
     * leave the objects the other cases read as they were.
     */
    @BeforeAll
    static void objects() {
        ApiClient admin = cluster.admin();
        for (String json : List.of(
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"sa1\"}}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s1\"},\"stringData\":{\"a\":\"b\"}}",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s2\"},\"stringData\":{\"a\":\"b\"}}",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm1\"},\"data\":{\"a\":\"b\"}}")) {
            String kind = json.contains("ServiceAccount")
                    ? "serviceaccounts"
                    : json.contains("Secret") ? "secrets" : "configmaps";
            assertEquals(
                    201, admin.post("/api/v1/namespaces/default/" + kind, json).code());
        }
        assertEquals(
                201,
                admin.post(
                                "/api/v1/nodes",
                                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node2\"}}")
                        .code());
        pod(
                admin,
                "p1",
                "\"nodeName\":\"node1\",\"serviceAccountName\":\"sa1\",",
                "\"env\":[{\"name\":\"X\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s1\",\"key\":\"a\"}}}],"
                        + "\"envFrom\":[{\"configMapRef\":{\"name\":\"cm1\"}}]");
        pod(
                admin,
                "p2",
                "\"nodeName\":\"node2\",",
                "\"env\":[{\"name\":\"X\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"s2\",\"key\":\"a\"}}}]");
        pod(admin, "unbound", "", "\"env\":[]");
        p1Uid = admin.get("/api/v1/namespaces/default/pods/p1")
                .json()
                .path("metadata")
                .path("uid")
                .asText();
        p2Uid = admin.get("/api/v1/namespaces/default/pods/p2")
                .json()
                .path("metadata")
                .path("uid")
                .asText();
        node1 = cluster.as("system:node:node1", "system:nodes");
        ApiClient.Response created = node1.post(
                "/api/v1/nodes",
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node1\",\"labels\":"
                        + "{\"kubernetes.io/hostname\":\"node1\"}}}");
        assertEquals(201, created.code(), created.body());
        node1Uid = created.json().path("metadata").path("uid").asText();
    }

    private static void pod(ApiClient admin, String name, String spec, String container) {
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/default/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + spec
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"," + container + "}]}}");
        assertEquals(201, r.code(), r.body());
    }

    private static ApiClient.Response send(String who, String method, String path, String body) {
        ApiClient client =
                switch (who) {
                    case "node1" -> node1;
                    case "node2" -> cluster.as("system:node:node2", "system:nodes");
                    case "empty" -> cluster.as("system:node:", "system:nodes");
                    case "nogroup" -> cluster.as("system:node:node1");
                    default -> throw new IllegalArgumentException(who);
                };
        String json = body.replace("$UID1", node1Uid)
                .replace("$P1", p1Uid)
                .replace("$P2", p2Uid)
                .replace('\'', '"');
        return switch (method) {
            case "GET" -> client.get(path);
            case "DELETE" -> client.delete(path);
            case "POST" -> client.post(path, json);
            case "PATCH" -> client.patch(path, json, MERGE);
            default -> throw new IllegalArgumentException(method);
        };
    }

    /** Reads: the graph decides for secrets, configmaps, pods and service accounts; names for Nodes. */
    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            node1   | GET | /api/v1/namespaces/default/secrets/s1              | | 200 |
            node1   | GET | /api/v1/namespaces/default/secrets/s2              | | 403 | secrets "s2" is forbidden: User "system:node:node1" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'node1' and this object
            node1   | GET | /api/v1/namespaces/default/configmaps/cm1          | | 200 |
            node1   | GET | /api/v1/namespaces/default/configmaps/cm1/status   | | 403 | configmaps "cm1" is forbidden: User "system:node:node1" cannot get resource "configmaps/status" in API group "" in the namespace "default": cannot read subresource
            node1   | GET | /api/v1/persistentvolumes/pv1                      | | 403 | persistentvolumes "pv1" is forbidden: User "system:node:node1" cannot get resource "persistentvolumes" in API group "" at the cluster scope: no relationship found between node 'node1' and this object
            node1   | GET | /api/v1/namespaces/default/pods/p1                 | | 200 |
            node1   | GET | /api/v1/namespaces/default/pods/p2                 | | 403 | pods "p2" is forbidden: User "system:node:node1" cannot get resource "pods" in API group "" in the namespace "default": no relationship found between node 'node1' and this object
            node1   | GET | /api/v1/namespaces/default/pods/unbound            | | 403 | pods "unbound" is forbidden: User "system:node:node1" cannot get resource "pods" in API group "" in the namespace "default": no relationship found between node 'node1' and this object
            node1   | GET | /api/v1/namespaces/default/serviceaccounts/sa1     | | 200 |
            node1   | GET | /api/v1/nodes/node1                                | | 200 |
            node1   | GET | /api/v1/nodes/node2                                | | 403 | nodes "node2" is forbidden: User "system:node:node1" cannot get resource "nodes" in API group "" at the cluster scope: node 'node1' cannot read 'node2', only its own Node object
            node1   | GET | /api/v1/nodes                                      | | 403 | nodes is forbidden: User "system:node:node1" cannot list resource "nodes" in API group "" at the cluster scope: node 'node1' cannot read all nodes, only its own Node object
            node1   | GET | /api/v1/pods                                       | | 403 | pods is forbidden: User "system:node:node1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector
            node1   | GET | /api/v1/pods?fieldSelector=spec.nodeName%3Dnode1   | | 200 |
            node1   | GET | /api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3D%3Dnode1 | | 200 |
            node1   | GET | /api/v1/namespaces/default/secrets                 | | 403 | secrets is forbidden: User "system:node:node1" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found
            node1   | GET | /api/v1/secrets                                    | | 403 | secrets is forbidden: User "system:node:node1" cannot list resource "secrets" in API group "" at the cluster scope: can only read namespaced object of this type
            node1   | GET | /api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ds1 | | 200 |
            node1   | GET | /api/v1/namespaces/default                         | | 403 | namespaces "default" is forbidden: User "system:node:node1" cannot get resource "namespaces" in API group "" in the namespace "default"
            empty   | GET | /api/v1/namespaces/default/secrets/s1              | | 403 | secrets "s1" is forbidden: User "system:node:" cannot get resource "secrets" in API group "" in the namespace "default": unknown node for user "system:node:"
            nogroup | GET | /api/v1/namespaces/default/secrets/s1              | | 403 | secrets "s1" is forbidden: User "system:node:node1" cannot get resource "secrets" in API group "" in the namespace "default"
            """)
    void reads(String who, String method, String path, String body, int status, String message) {
        check(who, method, path, body, status, message);
    }

    /** Writes: the Node authorizer lets them through, NodeRestriction narrows them to the node's own. */
    @ParameterizedTest(name = "{0} {1} {2} -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            node1 | POST   | /api/v1/nodes                  | {'apiVersion':'v1','kind':'Node','metadata':{'name':'node3'}} | 403 | nodes "node3" is forbidden: node "node1" is not allowed to modify node "node3"
            node1 | PATCH  | /api/v1/nodes/node2            | {'metadata':{'labels':{'stolen':'true'}}} | 403 | nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"
            node1 | PATCH  | /api/v1/nodes/node1            | {'metadata':{'labels':{'node-restriction.kubernetes.io/pool':'x','foo.node-restriction.kubernetes.io/a':'b','kubernetes.io/role':'master','ok':'1'}}} | 403 | nodes "node1" is forbidden: is not allowed to modify labels: foo.node-restriction.kubernetes.io/a, kubernetes.io/role, node-restriction.kubernetes.io/pool
            node1 | PATCH  | /api/v1/nodes/node1            | {'metadata':{'labels':{'ok':'1','topology.kubernetes.io/zone':'z','kubelet.kubernetes.io/x':'y'}}} | 200 |
            node1 | PATCH  | /api/v1/nodes/node1            | {'spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}} | 403 | nodes "node1" is forbidden: node "node1" is not allowed to modify taints
            node1 | PATCH  | /api/v1/nodes/node1/status     | {'status':{'conditions':[{'type':'Ready','status':'True','reason':'KubeletReady','message':'ok','lastHeartbeatTime':'2026-01-01T00:00:00Z','lastTransitionTime':'2026-01-01T00:00:00Z'}]}} | 200 |
            node1 | PATCH  | /api/v1/nodes/node2/status     | {'status':{'conditions':[]}} | 403 | nodes "node2" is forbidden: node "node1" is not allowed to modify node "node2"
            node1 | DELETE | /api/v1/nodes/node2            | | 403 | nodes "node2" is forbidden: User "system:node:node1" cannot delete resource "nodes" in API group "" at the cluster scope
            node2 | POST   | /api/v1/nodes                  | {'apiVersion':'v1','kind':'Node','metadata':{'name':'node2','labels':{'node-restriction.kubernetes.io/a':'b','example.k8s.io/x':'y'}}} | 403 | nodes "node2" is forbidden: node "node2" is not allowed to set the following labels: example.k8s.io/x, node-restriction.kubernetes.io/a
            empty | POST   | /api/v1/nodes                  | {'apiVersion':'v1','kind':'Node','metadata':{'name':'x'}} | 403 | nodes is forbidden: User "system:node:" cannot create resource "nodes" in API group "" at the cluster scope: unknown node for user "system:node:"
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'sneaky'},'spec':{'nodeName':'node1','containers':[{'name':'c','image':'busybox'}]}} | 403 | pods "sneaky" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "node1" can only create mirror pods
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'m1','annotations':{'kubernetes.io/config.mirror':'x'}},'spec':{'nodeName':'node2','containers':[{'name':'c','image':'busybox'}]}} | 403 | pods "m1" is forbidden: node "node1" can only create pods with spec.nodeName set to itself
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'m1','annotations':{'kubernetes.io/config.mirror':'x'}},'spec':{'nodeName':'node1','containers':[{'name':'c','image':'busybox'}]}} | 403 | pods "m1" is forbidden: node "node1" can only create pods with an owner reference set to itself
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'m1','annotations':{'kubernetes.io/config.mirror':'x'},'ownerReferences':[{'apiVersion':'v1','kind':'Node','name':'node1','uid':'nope','controller':true}]},'spec':{'nodeName':'node1','containers':[{'name':'c','image':'busybox'}]}} | 403 | pods "m1" is forbidden: node node1 UID mismatch: expected nope got $UID1
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'m1','annotations':{'kubernetes.io/config.mirror':'x'},'ownerReferences':[{'apiVersion':'v1','kind':'Node','name':'node1','uid':'$UID1','controller':true}]},'spec':{'nodeName':'node1','containers':[{'name':'c','image':'busybox','env':[{'name':'X','valueFrom':{'secretKeyRef':{'name':'s1','key':'a'}}}]}]}} | 403 | pods "m1" is forbidden: a mirror pod may not reference secrets
            node1 | POST   | /api/v1/namespaces/default/pods | {'apiVersion':'v1','kind':'Pod','metadata':{'name':'m1','annotations':{'kubernetes.io/config.mirror':'x'},'ownerReferences':[{'apiVersion':'v1','kind':'Node','name':'node1','uid':'$UID1','controller':true}]},'spec':{'nodeName':'node1','containers':[{'name':'c','image':'busybox'}]}} | 201 |
            node1 | DELETE | /api/v1/namespaces/default/pods/p2 | | 403 | pods "p2" is forbidden: node "node1" can only delete pods with spec.nodeName set to itself
            node1 | DELETE | /api/v1/namespaces/default/pods/missing | | 404 | pods "missing" not found
            node1 | PATCH  | /api/v1/namespaces/default/pods/p1 | {'metadata':{'labels':{'a':'b'}}} | 403 | pods "p1" is forbidden: User "system:node:node1" cannot patch resource "pods" in API group "" in the namespace "default"
            node1 | PATCH  | /api/v1/namespaces/default/pods/p2/status | {'status':{'phase':'Running'}} | 403 | pods "p2" is forbidden: node "node1" can only update pod status for pods with spec.nodeName set to itself
            node1 | PATCH  | /api/v1/namespaces/default/pods/p1/status | {'metadata':{'labels':{'a':'b'}},'status':{'phase':'Running'}} | 403 | pods "p1" is forbidden: node "node1" cannot update labels through pod status
            node1 | PATCH  | /api/v1/namespaces/default/pods/p1/status | {'status':{'phase':'Running'}} | 200 |
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/default/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}} | 403 | serviceaccounts "default" is forbidden: User "system:node:node1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "default": no relationship found between node 'node1' and this object
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{}} | 403 | serviceaccounts "sa1" is forbidden: node requested token not bound to a pod
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p1'}}} | 403 | serviceaccounts "sa1" is forbidden: node requested token with a pod binding without a uid
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p1','uid':'nope'}}} | 403 | serviceaccounts "sa1" is forbidden: the UID in the bound object reference (nope) does not match the UID in record. The object might have been deleted and then recreated
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p2','uid':'$P2'}}} | 403 | serviceaccounts "sa1" is forbidden: node requested token bound to a pod scheduled on a different node
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'nope','uid':'x'}}} | 404 | pod "nope" not found
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'audiences':['a','b'],'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p1','uid':'$P1'}}} | 403 | serviceaccounts "sa1" is forbidden: node may only request 0 or 1 audiences
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'audiences':['vault'],'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p1','uid':'$P1'}}} | 403 | serviceaccounts "sa1" is forbidden: audience "vault" not found in pod spec volume, system:node:node1 is not authorized to request tokens for this audience
            node1 | POST   | /api/v1/namespaces/default/serviceaccounts/sa1/token | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenRequest','spec':{'boundObjectRef':{'apiVersion':'v1','kind':'Pod','name':'p1','uid':'$P1'}}} | 201 |
            node1 | POST   | /apis/authentication.k8s.io/v1/tokenreviews | {'apiVersion':'authentication.k8s.io/v1','kind':'TokenReview','spec':{'token':'x'}} | 201 |
            """)
    void writes(String who, String method, String path, String body, int status, String message) {
        check(who, method, path, body, status, message);
    }

    private static void check(String who, String method, String path, String body, int status, String message) {
        ApiClient.Response r = send(who, method, path, body == null ? "" : body);
        assertEquals(status, r.code(), r.body());
        if (message != null) {
            assertEquals(message.replace("$UID1", node1Uid), r.message());
            assertEquals(
                    status == 404 ? "NotFound" : "Forbidden", r.statusReason().orElse(""));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            get secret s2     | {'verb':'get','resource':'secrets','namespace':'default','name':'s2'} | no relationship found between node 'node1' and this object
            list pods         | {'verb':'list','resource':'pods'}                                     | can only list/watch pods with spec.nodeName field selector
            """)
    void theReasonOfASubjectAccessReviewIsTheNodeAuthorizers(String name, String attributes, String reason) {
        ApiClient.Response r = cluster.admin()
                .post(
                        "/apis/authorization.k8s.io/v1/subjectaccessreviews",
                        ("{'apiVersion':'authorization.k8s.io/v1','kind':'SubjectAccessReview','spec':{'user':'system:node:node1',"
                                        + "'groups':['system:nodes','system:authenticated'],'resourceAttributes':"
                                        + attributes + "}}")
                                .replace('\'', '"'));
        assertEquals(201, r.code(), r.body());
        assertEquals(false, r.json().path("status").path("allowed").asBoolean());
        assertEquals(reason, r.json().path("status").path("reason").asText());
    }
}
