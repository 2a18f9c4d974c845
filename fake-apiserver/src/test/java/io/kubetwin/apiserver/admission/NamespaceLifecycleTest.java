package io.kubetwin.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamespaceLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode ns(String phase) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("status").put("phase", phase);
        return o;
    }

    static final NamespaceLifecycle PLUGIN = new NamespaceLifecycle(
            name -> Future.succeededFuture(
                    Map.of("active", ns("Active"), "dying", ns("Terminating")).get(name)),
            NamespaceLifecycle.DEFAULT_IMMORTAL);

    static AdmissionAttributes attrs(
            Operation op, String group, String kind, String resource, String namespace, String name) {
        ObjectNode object = JSON.createObjectNode();
        object.putObject("metadata").put("name", name);
        return new AdmissionAttributes(
                op,
                op == Operation.DELETE ? null : object,
                null,
                group,
                "v1",
                kind,
                group,
                resource,
                "",
                namespace,
                name,
                UserInfo.of("u"),
                false);
    }

    @ParameterizedTest(name = "{0} {3}/{5} in {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            CREATE | '' | ConfigMap | configmaps | active | c | -
            CREATE | '' | ConfigMap | configmaps | missing | c | 404 namespaces "missing" not found
            UPDATE | '' | ConfigMap | configmaps | missing | c | 404 namespaces "missing" not found
            CREATE | '' | ConfigMap | configmaps | dying | c | 403 configmaps "c" is forbidden: unable to create new content in namespace dying because it is being terminated
            UPDATE | '' | ConfigMap | configmaps | dying | c | -
            DELETE | '' | ConfigMap | configmaps | missing | c | -
            DELETE | '' | Namespace | namespaces | '' | kube-system | 403 namespaces "kube-system" is forbidden: this namespace may not be deleted
            DELETE | '' | Namespace | namespaces | '' | default | 403 namespaces "default" is forbidden: this namespace may not be deleted
            DELETE | '' | Namespace | namespaces | '' | kube-public | 403 namespaces "kube-public" is forbidden: this namespace may not be deleted
            DELETE | '' | Namespace | namespaces | '' | kube-node-lease | -
            CREATE | authorization.k8s.io | LocalSubjectAccessReview | localsubjectaccessreviews | missing | '' | -
            CREATE | rbac.authorization.k8s.io | ClusterRole | clusterroles | '' | r | -
            CREATE | rbac.authorization.k8s.io | Role | roles | dying | r | 403 roles.rbac.authorization.k8s.io "r" is forbidden: unable to create new content in namespace dying because it is being terminated
            """)
    void decides(
            Operation op, String group, String kind, String resource, String namespace, String name, String expected) {
        Future<Void> result = PLUGIN.admit(attrs(op, group, kind, resource, namespace, name));
        if (expected == null) {
            assertTrue(result.succeeded(), () -> String.valueOf(result.cause()));
            return;
        }
        StatusException e = (StatusException) result.cause();
        assertEquals(expected, e.code() + " " + e.getMessage());
    }
}
