package com.example.operator;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kubetwin.junit.Actor;
import io.kubetwin.junit.AuditTrail;
import io.kubetwin.junit.KubeTwin;
import io.kubetwin.junit.KubeTwinServer;
import io.kubetwin.junit.Lifecycle;
import io.kubetwin.junit.ServiceAccount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The operator runs as its service account against a fake apiserver with RBAC: with the narrow Role it gets the
 * Forbidden a real cluster would give it, with the fixed RBAC it does its job, and the audit trail shows both.
 * A fresh server per test, so the fix applied in one test never helps the other.
 */
@KubeTwin(
        serviceAccounts = @ServiceAccount(namespace = "shop", name = "operator"),
        preload = "rbac/operator-narrow.yaml",
        auditPolicy = "audit-policy.yaml",
        lifecycle = Lifecycle.PER_METHOD)
class PodCountOperatorTest {
    private static final String OPERATOR = "system:serviceaccount:shop:operator";

    @Test
    void narrowRbacGetsTheForbiddenItDeserves(@Actor(OPERATOR) KubernetesClient client, AuditTrail audit) {
        PodCountOperator operator = new PodCountOperator(client, "shop");

        KubernetesClientException e = assertThrows(KubernetesClientException.class, operator::reconcile);

        assertEquals(403, e.getCode());
        assertEquals(
                "configmaps is forbidden: User \"system:serviceaccount:shop:operator\" cannot create resource"
                        + " \"configmaps\" in API group \"\" in the namespace \"shop\"",
                e.getStatus().getMessage());
        assertThat(audit).hasEvent().user(OPERATOR).verb("list").resource("pods").decision("allow");
        assertThat(audit).hasEvent().user(OPERATOR).verb("create").resource("configmaps").decision("forbid");
    }

    @Test
    void fixedRbacPasses(@Actor(OPERATOR) KubernetesClient client, KubeTwinServer server, AuditTrail audit)
            throws IOException {
        server.create(resource("rbac/operator-fix.yaml"));
        PodCountOperator operator = new PodCountOperator(client, "shop");

        ConfigMap published = operator.reconcile();

        assertEquals("0", published.getData().get("pods"));
        assertThat(audit)
                .hasEvent()
                .user(OPERATOR)
                .verb("create")
                .resource("configmaps")
                .name("pod-count")
                .code(201)
                .decision("allow");
        assertThat(audit).hasNoEvent("a forbidden request", r -> r.decision().equals("forbid"));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = PodCountOperatorTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
