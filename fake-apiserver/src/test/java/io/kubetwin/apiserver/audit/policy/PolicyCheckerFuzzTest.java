package io.kubetwin.apiserver.audit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kubetwin.apiserver.testing.Choices;
import org.junit.jupiter.api.Timeout;

/**
 * Audit policy evaluation on fuzzer-chosen valid policies and requests: {@link PolicyChecker} never throws and
 * decides exactly as {@link AuditPolicyReferenceModel}.
 */
class PolicyCheckerFuzzTest {
    @FuzzTest
    @Timeout(10)
    void evaluate(FuzzedDataProvider data) {
        AuditPolicyWorld world = AuditPolicyWorld.draw(Choices.fuzz(data));
        if (!PolicyValidator.validate(world.policy()).isEmpty()) {
            return; // the checker's contract is a validated policy
        }
        RequestAuditConfig actual = new PolicyChecker(world.policy()).evaluate(world.request());
        assertEquals(
                AuditPolicyReferenceModel.evaluate(world.policy(), world.request()),
                new AuditPolicyReferenceModel.Expected(actual.level(), actual.omitStages(), actual.omitManagedFields()),
                world::toString);
    }
}
