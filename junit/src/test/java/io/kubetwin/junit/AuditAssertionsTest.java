package io.kubetwin.junit;

import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit assertions' successes and their failure messages, on a trail with known events. */
@KubeTwin(users = @User(name = "alice", groups = "dev"), auditPolicy = "kubetwin/audit-policy.yaml")
class AuditAssertionsTest {
    @KubeTwinInject
    AuditTrail audit;

    @BeforeEach
    void aliceTriesToReadSecrets(@Actor("alice") KubeTwinActor alice) {
        audit.reset();
        ApiClient client = ApiClient.of(Kubeconfig.parse(alice.kubeconfig()));
        assertEquals(403, client.get("/api/v1/namespaces/default/secrets").code());
    }

    @Test
    void eachStepWaitsForAMatchAndReturnsIt() {
        AuditRecord event = assertThat(audit)
                .hasEvent()
                .user("alice")
                .verb("list")
                .resource("secrets")
                .namespace("default")
                .stage("ResponseComplete")
                .code(403)
                .decision("forbid")
                .event();
        assertEquals(List.of("dev", "system:authenticated"), event.groups());
        assertEquals("", event.reason());
        assertTrue(event.json().startsWith("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\""), event.json());
    }

    @Test
    void aFailureListsTheConditionsAndEveryEventSeen() {
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> assertThat(audit)
                        .within(Duration.ofMillis(200))
                        .hasEvent()
                        .user("alice")
                        .verb("list")
                        .decision("allow"));
        assertEquals(
                "expected an audit event with user=alice, verb=list, decision=allow within 200ms; none of the 1 events"
                        + " seen matches:\n  ResponseComplete list secrets default user=alice code=403 decision=forbid",
                e.getMessage());
    }

    @Test
    void resetForgetsEarlierEventsAndHasNoEventChecksNow() {
        audit.reset();
        assertEquals(List.of(), audit.events());
        assertThat(audit).hasNoEvent("user=alice", r -> r.user().equals("alice"));
        AssertionError e = assertThrows(
                AssertionError.class,
                () -> assertThat(audit).within(Duration.ofMillis(100)).hasEvent());
        assertEquals("expected an audit event within 100ms; none of the 0 events seen matches:", e.getMessage());
    }

    @Test
    void aServerWithoutPolicyHasNoTrail() {
        try (KubeTwinServer quiet = KubeTwinServer.start()) {
            assertEquals(false, quiet.audit().enabled());
            IllegalStateException e = assertThrows(
                    IllegalStateException.class, () -> quiet.audit().events());
            assertTrue(e.getMessage().startsWith("this fake apiserver does not audit"), e.getMessage());
        }
    }
}
