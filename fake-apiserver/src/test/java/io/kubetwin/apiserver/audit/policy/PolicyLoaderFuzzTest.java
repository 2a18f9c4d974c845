package io.kubetwin.apiserver.audit.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * The audit policy loader ({@code --audit-policy-file}, and the policies the JUnit extension and scenarios pass):
 * any document is either loaded, valid and with at least one rule, or refused with a {@link PolicyLoadException}
 * (kube-apiserver's start-up error). A loaded policy then evaluates any request without failing. Seeds in
 * {@code PolicyLoaderFuzzTestInputs/parse}: the shipped example policies and edge cases.
 */
class PolicyLoaderFuzzTest {
    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        LoadedPolicy loaded;
        try {
            loaded = PolicyLoader.parse(new String(input, StandardCharsets.UTF_8));
        } catch (PolicyLoadException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
            return;
        }
        Policy policy = loaded.policy();
        assertFalse(policy.rules().isEmpty());
        PolicyChecker checker = new PolicyChecker(policy);
        UserInfo alice = UserInfo.of("alice", "system:authenticated");
        assertNotNull(checker.evaluate(Attributes.resource(alice, "get", "", "pods", "log", "ns1", "p")));
        assertNotNull(checker.evaluate(Attributes.nonResource(null, "get", "/healthz")));
    }
}
