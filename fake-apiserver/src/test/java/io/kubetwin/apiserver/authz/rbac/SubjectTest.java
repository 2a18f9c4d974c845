package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.group;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.sa;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.user;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.who;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectTest {
    private static final UserInfo BUILDER = who(
            "system:serviceaccount:team:builder",
            "system:serviceaccounts",
            "system:serviceaccounts:team",
            "system:authenticated");

    /** bindingNamespace "" stands for a ClusterRoleBinding. */
    static Stream<Arguments> applies() {
        return Stream.of(
                Arguments.of(user("alice"), "", who("alice"), true),
                Arguments.of(user("alice"), "ns", who("alice"), true),
                Arguments.of(user("alice"), "", who("Alice"), false),
                Arguments.of(user("devs"), "", who("alice", "devs"), false),
                Arguments.of(group("devs"), "", who("alice", "devs"), true),
                Arguments.of(group("devs"), "", who("devs"), false),
                // service account with namespace: same in both kinds of binding
                Arguments.of(sa("team", "builder"), "", BUILDER, true),
                Arguments.of(sa("team", "builder"), "other", BUILDER, true),
                Arguments.of(sa("other", "builder"), "team", BUILDER, false),
                // without namespace: the RoleBinding's namespace; never in a ClusterRoleBinding
                Arguments.of(sa("", "builder"), "team", BUILDER, true),
                Arguments.of(sa("", "builder"), "other", BUILDER, false),
                Arguments.of(sa("", "builder"), "", BUILDER, false),
                Arguments.of(sa("", "builder"), "", who("system:serviceaccount::builder"), false),
                Arguments.of(sa("team", "build"), "", BUILDER, false),
                // a User subject may name a service account's user name
                Arguments.of(user("system:serviceaccount:team:builder"), "", BUILDER, true),
                // unknown kinds never match; kinds are case-sensitive
                Arguments.of(new Subject("user", "", "alice", ""), "", who("alice"), false),
                Arguments.of(new Subject("Robot", "", "alice", ""), "ns", who("alice"), false));
    }

    @ParameterizedTest
    @MethodSource("applies")
    void appliesTo(Subject subject, String bindingNamespace, UserInfo user, boolean expected) {
        assertEquals(expected, subject.appliesTo(user, bindingNamespace));
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of(user("alice"), "ns", "User \"alice\""),
                Arguments.of(group("system:masters"), "", "Group \"system:masters\""),
                Arguments.of(sa("team", "builder"), "other", "ServiceAccount \"builder/team\""),
                Arguments.of(sa("", "builder"), "team", "ServiceAccount \"builder/team\""),
                Arguments.of(user("a\"b"), "", "User \"a\\\"b\""));
    }

    @ParameterizedTest
    @MethodSource("descriptions")
    void describe(Subject subject, String bindingNamespace, String expected) {
        assertEquals(expected, subject.describe(bindingNamespace));
    }
}
