package io.kubetwin.apiserver.authz.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kubetwin.apiserver.testing.Choices;
import io.kubetwin.auth.authz.Decision;
import org.junit.jupiter.api.Timeout;

/**
 * RBAC rule matching and binding resolution on fuzzer-chosen worlds (rules, subjects, role references and requests,
 * mostly from small alphabets, sometimes arbitrary strings): {@link RbacAuthorizer} never throws, never denies, and
 * allows exactly when {@link RbacReferenceModel} does; {@code rulesFor} (SelfSubjectRulesReview) never throws.
 */
class RbacAuthorizerFuzzTest {
    @FuzzTest
    @Timeout(10)
    void authorize(FuzzedDataProvider data) {
        RbacWorld world = RbacWorld.draw(Choices.fuzz(data));
        RbacAuthorizer authorizer = new RbacAuthorizer(world.index());

        Decision decision = authorizer.authorize(world.request());

        boolean modelAllows = !RbacReferenceModel.grants(world).isEmpty();
        assertEquals(modelAllows, decision instanceof Decision.Allow, world::toString);
        if (!modelAllows) {
            assertEquals(Decision.NoOpinion.class, decision.getClass(), world::toString);
        }
        assertNotNull(
                authorizer.rulesFor(world.request().user(), world.request().namespace()));
    }
}
