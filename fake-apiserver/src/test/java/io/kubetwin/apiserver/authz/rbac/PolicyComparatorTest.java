package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.PolicyRule.newRule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyComparatorTest {

    static Stream<Arguments> coverage() {
        PolicyRule podsAll =
                newRule("get", "list", "watch").groups("").resources("pods").build();
        return Stream.of(
                Arguments.of(List.of(podsAll), List.of(PolicyRule.rule("get", "", "pods")), List.of()),
                Arguments.of(
                        List.of(podsAll),
                        List.of(PolicyRule.rule("delete", "", "pods")),
                        List.of("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}")),
                Arguments.of(
                        List.of(newRule("*").groups("*").resources("*").build()),
                        List.of(newRule("get")
                                .groups("apps")
                                .resources("deployments/scale")
                                .names("x")
                                .build()),
                        List.of()),
                // star only covers a star
                Arguments.of(
                        List.of(podsAll),
                        List.of(PolicyRule.rule("get", "", "*")),
                        List.of("{APIGroups:[\"\"], Resources:[\"*\"], Verbs:[\"get\"]}")),
                Arguments.of(
                        List.of(PolicyRule.rule("get", "", "pods")),
                        List.of(PolicyRule.rule("*", "", "pods")),
                        List.of("{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"*\"]}")),
                // subresources: exact or */sub; a plain resource does not cover its subresources
                Arguments.of(
                        List.of(PolicyRule.rule("get", "", "*/log")),
                        List.of(PolicyRule.rule("get", "", "pods/log")),
                        List.of()),
                Arguments.of(
                        List.of(PolicyRule.rule("get", "", "pods")),
                        List.of(PolicyRule.rule("get", "", "pods/log")),
                        List.of("{APIGroups:[\"\"], Resources:[\"pods/log\"], Verbs:[\"get\"]}")),
                // names: an owner without names covers any; a request without names needs an owner without names
                Arguments.of(
                        List.of(newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build()),
                        List.of(newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build()),
                        List.of()),
                Arguments.of(
                        List.of(newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build()),
                        List.of(PolicyRule.rule("get", "", "secrets")),
                        List.of("{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}")),
                Arguments.of(
                        List.of(newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a")
                                .build()),
                        List.of(newRule("get")
                                .groups("")
                                .resources("secrets")
                                .names("a", "b")
                                .build()),
                        List.of("{APIGroups:[\"\"], Resources:[\"secrets\"], ResourceNames:[\"b\"], Verbs:[\"get\"]}")),
                // URLs: exact or owner prefix*
                Arguments.of(
                        List.of(newRule("get").urls("/healthz*").build()),
                        List.of(newRule("get").urls("/healthz/etcd").build()),
                        List.of()),
                Arguments.of(
                        List.of(newRule("get").urls("/healthz").build()),
                        List.of(newRule("get").urls("/healthz/*").build()),
                        List.of("{NonResourceURLs:[\"/healthz/*\"], Verbs:[\"get\"]}")),
                // a resource rule does not cover a URL
                Arguments.of(
                        List.of(newRule("*").groups("*").resources("*").build()),
                        List.of(newRule("get").urls("/metrics").build()),
                        List.of("{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}")),
                // resources without groups break down to nothing, so they are always "covered" (as upstream)
                Arguments.of(
                        List.of(), List.of(newRule("get").resources("secrets").build()), List.of()),
                // several owner rules: each atomic rule needs one owner rule covering it alone
                Arguments.of(
                        List.of(PolicyRule.rule("get", "", "pods"), PolicyRule.rule("list", "", "pods")),
                        List.of(newRule("get", "list")
                                .groups("")
                                .resources("pods")
                                .build()),
                        List.of()));
    }

    @ParameterizedTest
    @MethodSource("coverage")
    void covers(List<PolicyRule> owner, List<PolicyRule> servant, List<String> missing) {
        PolicyComparator.Coverage coverage = PolicyComparator.covers(owner, servant);
        assertEquals(missing.isEmpty(), coverage.covered());
        assertEquals(
                missing,
                coverage.missing().stream().map(PolicyRule::compactString).toList());
    }

    @Test
    void breakdownOrder() {
        PolicyRule rule = new PolicyRule(
                List.of("get", "list"), List.of("", "apps"), List.of("a"), List.of("n1", "n2"), List.of("/u"));
        assertEquals(
                List.of(
                        "{APIGroups:[\"\"], Resources:[\"a\"], ResourceNames:[\"n1\"], Verbs:[\"get\"]}",
                        "{APIGroups:[\"\"], Resources:[\"a\"], ResourceNames:[\"n2\"], Verbs:[\"get\"]}",
                        "{APIGroups:[\"\"], Resources:[\"a\"], ResourceNames:[\"n1\"], Verbs:[\"list\"]}",
                        "{APIGroups:[\"\"], Resources:[\"a\"], ResourceNames:[\"n2\"], Verbs:[\"list\"]}",
                        "{APIGroups:[\"apps\"], Resources:[\"a\"], ResourceNames:[\"n1\"], Verbs:[\"get\"]}",
                        "{APIGroups:[\"apps\"], Resources:[\"a\"], ResourceNames:[\"n2\"], Verbs:[\"get\"]}",
                        "{APIGroups:[\"apps\"], Resources:[\"a\"], ResourceNames:[\"n1\"], Verbs:[\"list\"]}",
                        "{APIGroups:[\"apps\"], Resources:[\"a\"], ResourceNames:[\"n2\"], Verbs:[\"list\"]}",
                        "{NonResourceURLs:[\"/u\"], Verbs:[\"get\"]}",
                        "{NonResourceURLs:[\"/u\"], Verbs:[\"list\"]}"),
                PolicyComparator.breakdown(rule).stream()
                        .map(PolicyRule::compactString)
                        .toList());
    }

    static Stream<Arguments> compactStrings() {
        return Stream.of(
                Arguments.of(
                        newRule("get", "list").groups("").resources("pods").build(),
                        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}"),
                Arguments.of(
                        new PolicyRule(List.of("get"), List.of("g"), List.of("r"), List.of("n"), List.of("/u")),
                        "{APIGroups:[\"g\"], Resources:[\"r\"], NonResourceURLs:[\"/u\"], ResourceNames:[\"n\"], Verbs:[\"get\"]}"),
                Arguments.of(new PolicyRule(List.of(), List.of(), List.of(), List.of(), List.of()), "{}"));
    }

    @ParameterizedTest
    @MethodSource("compactStrings")
    void compactString(PolicyRule rule, String expected) {
        assertEquals(expected, rule.compactString());
    }

    @Test
    void compactionMergesVerbsOfSimpleRulesOnly() {
        List<PolicyRule> compacted = PolicyCompaction.compact(List.of(
                PolicyRule.rule("get", "", "pods"),
                newRule("get").urls("/a").build(),
                PolicyRule.rule("list", "", "pods"),
                newRule("get").groups("").resources("pods").names("x").build(),
                PolicyRule.rule("get", "", "pods"),
                newRule("list").groups("").resources("pods").names("x").build(),
                newRule("post").urls("/a").build(),
                newRule("get").groups("", "apps").resources("pods").build()));
        assertEquals(
                List.of(
                        "{NonResourceURLs:[\"/a\"], Verbs:[\"get\"]}",
                        "{NonResourceURLs:[\"/a\"], Verbs:[\"post\"]}",
                        "{APIGroups:[\"\" \"apps\"], Resources:[\"pods\"], Verbs:[\"get\"]}",
                        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\" \"get\"]}",
                        "{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"x\"], Verbs:[\"get\" \"list\"]}"),
                compacted.stream().map(PolicyRule::compactString).toList());
    }
}
