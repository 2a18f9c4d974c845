package io.kubetwin.apiserver.authz.rbac;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kubetwin.apiserver.testing.Choices;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.pki.GoText;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: for random small RBAC worlds, {@link RbacAuthorizer} allows exactly when {@link RbacReferenceModel}
 * does, and its reason names a binding the model says grants the request. Each case is reproducible from the seed
 * in the failure message. {@code -Dkubetwin.properties.tries=N} runs N worlds per seed block (default 500).
 */
class RbacAuthorizerPropertyTest {
    static final int TRIES = Integer.getInteger("kubetwin.properties.tries", 500);

    static LongStream seedBlocks() {
        return LongStream.range(0, 8).map(i -> i * 1_000_003L);
    }

    @ParameterizedTest(name = "worlds from seed {0}")
    @MethodSource("seedBlocks")
    void authorizerAgreesWithReferenceModel(long block) {
        for (long seed = block; seed < block + TRIES; seed++) {
            RbacWorld world = RbacWorld.draw(Choices.random(seed));
            List<RbacReferenceModel.Grant> grants = RbacReferenceModel.grants(world);
            Decision decision = new RbacAuthorizer(world.index()).authorize(world.request());
            String context = "seed " + seed + ": " + world;
            if (grants.isEmpty()) {
                assertInstanceOf(Decision.NoOpinion.class, decision, context);
                continue;
            }
            Decision.Allow allow = assertInstanceOf(Decision.Allow.class, decision, context);
            assertTrue(
                    grants.stream().anyMatch(g -> allow.reason().startsWith(reasonPrefix(g))),
                    () -> context + "\nreason " + allow.reason() + " names none of " + grants);
        }
    }

    @ParameterizedTest(name = "rules from seed {0}")
    @MethodSource("seedBlocks")
    void ruleMatchingAgreesWithReferenceModel(long block) {
        for (long seed = block; seed < block + TRIES * 4L; seed++) {
            Choices c = Choices.random(seed);
            RbacWorld world = RbacWorld.draw(c);
            for (ClusterRole role : world.clusterRoles()) {
                for (PolicyRule rule : role.rules()) {
                    boolean expected = RbacReferenceModel.allows(rule, world.request());
                    if (RuleMatching.allows(world.request(), rule) != expected) {
                        fail("seed " + seed + ": " + rule + " on " + world.request() + " should be " + expected);
                    }
                }
            }
        }
    }

    /** How the authorizer's reason names a binding: {@code RBAC: allowed by RoleBinding "rb1/ns1" of ...}. */
    private static String reasonPrefix(RbacReferenceModel.Grant g) {
        String name = g.kind().equals("RoleBinding") ? g.name() + "/" + g.namespace() : g.name();
        return "RBAC: allowed by " + g.kind() + " " + GoText.quote(name) + " of ";
    }

    @org.junit.jupiter.api.Test
    void theWorldsCoverBothAnswers() {
        // a property that never sees an allow (or never a no-opinion) proves nothing
        long allowed = LongStream.range(0, 2000)
                .filter(seed -> !RbacReferenceModel.grants(RbacWorld.draw(Choices.random(seed)))
                        .isEmpty())
                .count();
        assertTrue(allowed > 100 && allowed < 1900, "allowed in " + allowed + " of 2000 worlds");
    }
}
