package io.kubetwin.apiserver.audit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.testing.Choices;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for random small audit policies (valid ones: the checker's contract) and requests, {@link PolicyChecker}
 * decides the level, omitted stages and omitManagedFields exactly as {@link AuditPolicyReferenceModel}. Each case is
 * reproducible from the seed in the failure message; {@code -Dkubetwin.properties.tries=N} per seed block.
 */
class PolicyCheckerPropertyTest {
    static final int TRIES = Integer.getInteger("kubetwin.properties.tries", 500) * 2;

    static LongStream seedBlocks() {
        return LongStream.range(0, 8).map(i -> i * 1_000_003L);
    }

    @ParameterizedTest(name = "policies from seed {0}")
    @MethodSource("seedBlocks")
    void checkerAgreesWithReferenceModel(long block) {
        for (long seed = block; seed < block + TRIES; seed++) {
            AuditPolicyWorld world = AuditPolicyWorld.draw(Choices.random(seed));
            if (!PolicyValidator.validate(world.policy()).isEmpty()) {
                continue;
            }
            var expected = AuditPolicyReferenceModel.evaluate(world.policy(), world.request());
            RequestAuditConfig actual = new PolicyChecker(world.policy()).evaluate(world.request());
            var got = new AuditPolicyReferenceModel.Expected(
                    actual.level(), actual.omitStages(), actual.omitManagedFields());
            assertEquals(expected, got, "seed " + seed + ": " + world);
        }
    }

    @Test
    void thePoliciesAreMostlyValidAndCoverEveryLevel() {
        // a property that only ever sees None (or only invalid policies) proves nothing
        int valid = 0;
        int[] levels = new int[Level.values().length];
        for (long seed = 0; seed < 2000; seed++) {
            AuditPolicyWorld world = AuditPolicyWorld.draw(Choices.random(seed));
            if (PolicyValidator.validate(world.policy()).isEmpty()) {
                valid++;
                levels[
                        AuditPolicyReferenceModel.evaluate(world.policy(), world.request())
                                .level()
                                .ordinal()]++;
            }
        }
        assertTrue(valid > 1500, valid + " of 2000 policies valid");
        for (Level level : Level.values()) {
            assertTrue(levels[level.ordinal()] > 50, level + " decided " + levels[level.ordinal()] + " times");
        }
    }
}
