package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.PolicyRule.newRule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleMatchingTest {
    private static final UserInfo U = UserInfo.of("u");

    private static Attributes res(String verb, String group, String resource, String sub, String name) {
        return Attributes.resource(U, verb, group, resource, sub, "ns", name);
    }

    private static Attributes url(String verb, String path) {
        return Attributes.nonResource(U, verb, path);
    }

    static Stream<Arguments> cases() {
        PolicyRule getPods = PolicyRule.rule("get", "", "pods");
        return Stream.of(
                // verbs
                Arguments.of(getPods, res("get", "", "pods", "", ""), true),
                Arguments.of(getPods, res("list", "", "pods", "", ""), false),
                Arguments.of(
                        newRule("*").groups("").resources("pods").build(), res("escalate", "", "pods", "", ""), true),
                Arguments.of(
                        newRule("get", "list").groups("").resources("pods").build(),
                        res("list", "", "pods", "", ""),
                        true),
                Arguments.of(newRule().groups("").resources("pods").build(), res("get", "", "pods", "", ""), false),
                // groups
                Arguments.of(getPods, res("get", "apps", "pods", "", ""), false),
                Arguments.of(
                        newRule("get").groups("*").resources("pods").build(), res("get", "apps", "pods", "", ""), true),
                Arguments.of(
                        newRule("get").groups("apps", "").resources("pods").build(),
                        res("get", "", "pods", "", ""),
                        true),
                Arguments.of(newRule("get").resources("pods").build(), res("get", "", "pods", "", ""), false),
                // resources and subresources
                Arguments.of(getPods, res("get", "", "pods", "log", "p"), false),
                Arguments.of(PolicyRule.rule("get", "", "pods/log"), res("get", "", "pods", "log", "p"), true),
                Arguments.of(PolicyRule.rule("get", "", "pods/log"), res("get", "", "pods", "", "p"), false),
                Arguments.of(PolicyRule.rule("get", "", "pods/log"), res("get", "", "pods", "exec", "p"), false),
                Arguments.of(PolicyRule.rule("get", "", "*"), res("get", "", "pods", "log", "p"), true),
                Arguments.of(PolicyRule.rule("get", "", "*"), res("get", "", "anything", "", ""), true),
                Arguments.of(
                        PolicyRule.rule("update", "*", "*/scale"),
                        res("update", "apps", "deployments", "scale", "d"),
                        true),
                Arguments.of(
                        PolicyRule.rule("update", "*", "*/scale"),
                        res("update", "apps", "deployments", "", "d"),
                        false),
                Arguments.of(
                        PolicyRule.rule("update", "*", "*/scale"),
                        res("update", "apps", "deployments", "status", "d"),
                        false),
                // "*/" + sub must have exactly the subresource's length: "*/xscale" does not match "scale"
                Arguments.of(
                        PolicyRule.rule("update", "*", "*/xscale"),
                        res("update", "apps", "deployments", "scale", "d"),
                        false),
                Arguments.of(PolicyRule.rule("get", "", "pods/*"), res("get", "", "pods", "log", "p"), false),
                // resource names
                Arguments.of(
                        newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a", "b")
                                .build(),
                        res("get", "", "secrets", "", "b"),
                        true),
                Arguments.of(
                        newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build(),
                        res("get", "", "secrets", "", "c"),
                        false),
                Arguments.of(
                        newRule("list")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build(),
                        res("list", "", "secrets", "", ""),
                        false),
                Arguments.of(
                        newRule("list")
                                .groups("")
                                .resources("secrets")
                                .names("")
                                .build(),
                        res("list", "", "secrets", "", ""),
                        true),
                // a resource rule never matches a path and vice versa
                Arguments.of(PolicyRule.rule("get", "*", "*"), url("get", "/healthz"), false),
                Arguments.of(newRule("get").urls("*").build(), res("get", "", "pods", "", ""), false),
                // non-resource URLs
                Arguments.of(newRule("get").urls("/healthz").build(), url("get", "/healthz"), true),
                Arguments.of(newRule("get").urls("/healthz").build(), url("get", "/healthz/etcd"), false),
                Arguments.of(newRule("get").urls("/healthz").build(), url("post", "/healthz"), false),
                Arguments.of(newRule("get").urls("/healthz*").build(), url("get", "/healthzfoo"), true),
                Arguments.of(newRule("get").urls("/healthz/*").build(), url("get", "/healthz"), false),
                Arguments.of(newRule("get").urls("/healthz/*").build(), url("get", "/healthz/"), true),
                Arguments.of(newRule("get").urls("/api**").build(), url("get", "/apis/apps"), true),
                Arguments.of(newRule("get").urls("*").build(), url("get", "/anything"), true),
                Arguments.of(newRule("*").urls("/metrics").build(), url("put", "/metrics"), true),
                Arguments.of(newRule("get").urls("/version/").build(), url("get", "/version"), false));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void ruleAllows(PolicyRule rule, Attributes request, boolean expected) {
        assertEquals(expected, RuleMatching.allows(request, rule));
        assertEquals(expected, rule.allows(request));
    }
}
