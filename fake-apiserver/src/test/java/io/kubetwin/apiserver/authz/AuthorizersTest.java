package io.kubetwin.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizersTest {
    private static final Attributes LIST_PODS =
            Attributes.resource(UserInfo.of("alice", "devs"), "list", "", "pods", "", "default", "");

    private static Authorizer fixed(Decision d) {
        return a -> d;
    }

    static Stream<Arguments> unions() {
        Decision allowA = Decision.allow("A");
        Decision denyB = Decision.deny("B");
        return Stream.of(
                Arguments.of(List.of(), Decision.noOpinion("")),
                Arguments.of(List.of(fixed(allowA), fixed(denyB)), allowA),
                Arguments.of(List.of(fixed(Decision.noOpinion("x")), fixed(denyB), fixed(allowA)), denyB),
                Arguments.of(
                        List.of(
                                fixed(Decision.noOpinion("x")),
                                fixed(Decision.noOpinion("")),
                                fixed(Decision.noOpinion("y"))),
                        Decision.noOpinion("x\ny")),
                // the winner's own reason only, not the earlier no-opinion reasons
                Arguments.of(List.of(fixed(Decision.noOpinion("x")), fixed(allowA)), allowA),
                Arguments.of(List.of(new AlwaysDenyAuthorizer(), new AlwaysAllowAuthorizer()), Decision.allow("")),
                Arguments.of(
                        List.of(PrivilegedGroupAuthorizer.systemMasters(), new AlwaysDenyAuthorizer()),
                        Decision.noOpinion("Everything is forbidden.")));
    }

    @ParameterizedTest
    @MethodSource("unions")
    void union(List<Authorizer> members, Decision expected) {
        assertEquals(expected, new UnionAuthorizer(members).authorize(LIST_PODS));
    }

    @Test
    void unionSkipsAFailingAuthorizerAndRethrowsWhenNobodyDecides() {
        List<String> asked = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("webhook down");
        Authorizer failing = a -> {
            asked.add("failing");
            throw boom;
        };
        Authorizer allowing = a -> {
            asked.add("allowing");
            return Decision.allow("ok");
        };
        assertEquals(Decision.allow("ok"), UnionAuthorizer.of(failing, allowing).authorize(LIST_PODS));
        assertEquals(List.of("failing", "allowing"), asked);
        assertSame(
                boom,
                assertThrows(
                        IllegalStateException.class,
                        () -> UnionAuthorizer.of(failing, fixed(Decision.noOpinion("")))
                                .authorize(LIST_PODS)));
    }

    @Test
    void privilegedGroup() {
        Authorizer masters = PrivilegedGroupAuthorizer.systemMasters();
        assertEquals(
                Decision.allow(""), masters.authorize(LIST_PODS.withUser(UserInfo.of("root", "a", "system:masters"))));
        assertEquals(Decision.noOpinion(""), masters.authorize(LIST_PODS));
        assertEquals(Decision.noOpinion(""), masters.authorize(LIST_PODS.withUser(UserInfo.of("system:masters"))));
    }

    @Test
    void alwaysModes() {
        assertEquals(Decision.allow(""), new AlwaysAllowAuthorizer().authorize(LIST_PODS));
        assertEquals(Decision.noOpinion("Everything is forbidden."), new AlwaysDenyAuthorizer().authorize(LIST_PODS));
        SubjectRules all = new AlwaysAllowAuthorizer().rulesFor(UserInfo.of("u"), "ns");
        assertEquals(
                List.of(new SubjectRules.ResourceRule(List.of("*"), List.of("*"), List.of("*"), List.of())),
                all.resourceRules());
        assertEquals(List.of(new SubjectRules.NonResourceRule(List.of("*"), List.of("*"))), all.nonResourceRules());
        assertEquals(SubjectRules.none(), new AlwaysDenyAuthorizer().rulesFor(UserInfo.of("u"), "ns"));
    }

    @Test
    void unionRuleResolverConcatenatesAndCollects() {
        RuleResolver incomplete = (u, ns) -> new SubjectRules(List.of(), List.of(), true, List.of("a", "b"));
        SubjectRules rules = new UnionRuleResolver(
                        List.of(new AlwaysAllowAuthorizer(), incomplete, new AlwaysAllowAuthorizer()))
                .rulesFor(UserInfo.of("u"), "ns");
        assertEquals(2, rules.resourceRules().size());
        assertEquals(2, rules.nonResourceRules().size());
        assertEquals(true, rules.incomplete());
        assertEquals("[a, b]", rules.evaluationError());
    }
}
