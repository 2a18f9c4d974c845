package io.kubetwin.apiserver.audit.policy;

import static io.kubetwin.apiserver.audit.policy.GroupResources.group;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule matching, one row per rule field and edge, after pkg/audit/policy/checker_test.go's cases. */
class PolicyCheckerTest {
    private static final UserInfo ALICE = UserInfo.of("alice", "dev", "system:authenticated");

    private static Attributes res(
            UserInfo user, String verb, String group, String resource, String sub, String ns, String name) {
        return new Attributes(user, verb, true, "", ns, group, "v1", resource, sub, name);
    }

    private static Attributes pods(String verb) {
        return res(ALICE, verb, "", "pods", "", "default", "p1");
    }

    private static Attributes path(UserInfo user, String verb, String path) {
        return new Attributes(user, verb, false, path, "", "", "", "", "", "");
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                // rule, request, matches
                Arguments.of("no restriction", AuditPolicyRule.level(Level.METADATA), pods("get"), true),
                Arguments.of(
                        "users hit", AuditPolicyRule.level(Level.METADATA).users("bob", "alice"), pods("get"), true),
                Arguments.of("users miss", AuditPolicyRule.level(Level.METADATA).users("bob"), pods("get"), false),
                Arguments.of(
                        "users without user",
                        AuditPolicyRule.level(Level.METADATA).users("alice"),
                        res(null, "get", "", "pods", "", "default", ""),
                        false),
                Arguments.of(
                        "groups hit",
                        AuditPolicyRule.level(Level.METADATA).userGroups("ops", "dev"),
                        pods("get"),
                        true),
                Arguments.of(
                        "groups miss", AuditPolicyRule.level(Level.METADATA).userGroups("ops"), pods("get"), false),
                Arguments.of(
                        "groups without user",
                        AuditPolicyRule.level(Level.METADATA).userGroups("system:unauthenticated"),
                        res(null, "get", "", "pods", "", "default", ""),
                        false),
                Arguments.of(
                        "verbs hit", AuditPolicyRule.level(Level.METADATA).verbs("list", "get"), pods("get"), true),
                Arguments.of("verbs miss", AuditPolicyRule.level(Level.METADATA).verbs("list"), pods("get"), false),
                Arguments.of(
                        "namespaces hit",
                        AuditPolicyRule.level(Level.METADATA).namespaces("default"),
                        pods("get"),
                        true),
                Arguments.of(
                        "namespaces miss",
                        AuditPolicyRule.level(Level.METADATA).namespaces("kube-system"),
                        pods("get"),
                        false),
                Arguments.of(
                        "empty namespace is cluster scope",
                        AuditPolicyRule.level(Level.METADATA).namespaces(""),
                        res(ALICE, "get", "", "nodes", "", "", "n1"),
                        true),
                Arguments.of(
                        "namespaces never match a path",
                        AuditPolicyRule.level(Level.METADATA).namespaces(""),
                        path(ALICE, "get", "/healthz"),
                        false),
                Arguments.of(
                        "whole core group",
                        AuditPolicyRule.level(Level.METADATA).resources(group("")),
                        pods("get"),
                        true),
                Arguments.of(
                        "other group",
                        AuditPolicyRule.level(Level.METADATA).resources(group("apps")),
                        pods("get"),
                        false),
                Arguments.of(
                        "resource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods")),
                        pods("get"),
                        true),
                Arguments.of(
                        "resource does not match its subresource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods")),
                        res(ALICE, "get", "", "pods", "log", "default", "p1"),
                        false),
                Arguments.of(
                        "resource/subresource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods/log")),
                        res(ALICE, "get", "", "pods", "log", "default", "p1"),
                        true),
                Arguments.of(
                        "star",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "*")),
                        res(ALICE, "get", "", "pods", "log", "default", "p1"),
                        true),
                Arguments.of(
                        "star/subresource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "*/status")),
                        res(ALICE, "update", "", "nodes", "status", "", "n1"),
                        true),
                Arguments.of(
                        "star/subresource not the resource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "*/status")),
                        res(ALICE, "update", "", "nodes", "", "", "n1"),
                        false),
                Arguments.of(
                        "resource/star matches subresources",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods/*")),
                        res(ALICE, "get", "", "pods", "exec", "default", "p1"),
                        true),
                Arguments.of(
                        "resource/star matches the plain resource too",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods/*")),
                        pods("get"),
                        true),
                Arguments.of(
                        "resource/star other resource",
                        AuditPolicyRule.level(Level.METADATA).resources(group("", "pods/*")),
                        res(ALICE, "get", "", "services", "", "default", "s"),
                        false),
                Arguments.of(
                        "resourceNames hit",
                        AuditPolicyRule.level(Level.METADATA)
                                .resources(group("", "pods").withNames("p1")),
                        pods("get"),
                        true),
                Arguments.of(
                        "resourceNames miss",
                        AuditPolicyRule.level(Level.METADATA)
                                .resources(group("", "pods").withNames("p2")),
                        pods("get"),
                        false),
                Arguments.of(
                        "resourceNames and a list",
                        AuditPolicyRule.level(Level.METADATA)
                                .resources(group("", "pods").withNames("p1")),
                        res(ALICE, "list", "", "pods", "", "default", ""),
                        false),
                Arguments.of(
                        "resources never match a path",
                        AuditPolicyRule.level(Level.METADATA).resources(group("")),
                        path(ALICE, "get", "/api"),
                        false),
                Arguments.of(
                        "url exact",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("/healthz"),
                        path(ALICE, "get", "/healthz"),
                        true),
                Arguments.of(
                        "url exact miss",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("/healthz"),
                        path(ALICE, "get", "/healthz/etcd"),
                        false),
                Arguments.of(
                        "url prefix",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("/healthz*"),
                        path(ALICE, "get", "/healthz/etcd"),
                        true),
                Arguments.of(
                        "url prefix is plain prefix",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("/api*"),
                        path(ALICE, "get", "/apis"),
                        true),
                Arguments.of(
                        "url star",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("*"),
                        path(ALICE, "get", "/metrics"),
                        true),
                Arguments.of(
                        "urls never match a resource",
                        AuditPolicyRule.level(Level.METADATA).nonResourceURLs("*"),
                        pods("get"),
                        false),
                Arguments.of(
                        "verb and url",
                        AuditPolicyRule.level(Level.METADATA).verbs("post").nonResourceURLs("/x"),
                        path(ALICE, "get", "/x"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void matching(String name, AuditPolicyRule.Builder rule, Attributes request, boolean matches) {
        Policy policy = Policy.builder().rule(rule).build();
        assertEquals(List.of(), PolicyValidator.validate(policy), "test rule must be valid");
        Level level = new PolicyChecker(policy).evaluate(request).level();
        assertEquals(matches ? Level.METADATA : Level.NONE, level);
    }

    @Test
    void firstMatchingRuleWins() {
        Policy policy = Policy.builder()
                .rule(AuditPolicyRule.level(Level.NONE).users("system:kube-proxy"))
                .rule(AuditPolicyRule.level(Level.REQUEST).resources(group("", "pods")))
                .rule(AuditPolicyRule.level(Level.REQUEST_RESPONSE))
                .build();
        PolicyChecker checker = new PolicyChecker(policy);
        assertEquals(
                Level.NONE,
                checker.evaluate(res(UserInfo.of("system:kube-proxy"), "get", "", "pods", "", "a", ""))
                        .level());
        assertEquals(Level.REQUEST, checker.evaluate(pods("get")).level());
        assertEquals(
                Level.REQUEST_RESPONSE,
                checker.evaluate(res(ALICE, "get", "", "secrets", "", "a", "")).level());
    }

    @Test
    void omitStagesAreThePolicysAndTheRulesUnion() {
        Policy policy = Policy.builder()
                .omitStages(Stage.REQUEST_RECEIVED)
                .rule(AuditPolicyRule.level(Level.METADATA).users("alice").omitStages(Stage.RESPONSE_STARTED))
                .rule(AuditPolicyRule.level(Level.REQUEST))
                .build();
        PolicyChecker checker = new PolicyChecker(policy);
        assertEquals(
                EnumSet.of(Stage.REQUEST_RECEIVED, Stage.RESPONSE_STARTED),
                checker.evaluate(pods("get")).omitStages());
        assertEquals(
                Set.of(Stage.REQUEST_RECEIVED),
                checker.evaluate(res(UserInfo.of("bob"), "get", "", "pods", "", "a", ""))
                        .omitStages());
    }

    @Test
    void noMatchIsNoneWithThePolicyDefaults() {
        Policy policy = Policy.builder()
                .omitStages(Stage.PANIC)
                .omitManagedFields(true)
                .rule(AuditPolicyRule.level(Level.METADATA).users("bob"))
                .build();
        assertEquals(
                new RequestAuditConfig(Level.NONE, Set.of(Stage.PANIC), true),
                new PolicyChecker(policy).evaluate(pods("get")));
    }

    @Test
    void ruleOmitManagedFieldsOverridesThePolicy() {
        Policy policy = Policy.builder()
                .omitManagedFields(true)
                .rule(AuditPolicyRule.level(Level.METADATA).users("alice").omitManagedFields(false))
                .rule(AuditPolicyRule.level(Level.REQUEST))
                .build();
        PolicyChecker checker = new PolicyChecker(policy);
        assertEquals(false, checker.evaluate(pods("get")).omitManagedFields());
        assertEquals(
                true,
                checker.evaluate(res(UserInfo.of("bob"), "get", "", "pods", "", "a", ""))
                        .omitManagedFields());
    }
}
