package io.kubetwin.scan.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SelfSubjectRulesReview matcher and the bootstrap-grant test, as tables. */
class RbacMatchingTest {

    static List<String> list(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }

    @ParameterizedTest(name = "rule {0}|{1}|{2}|{3} vs {4} {5} {6}/{7} {8} -> {9}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            *        | *   | *          | -     | *      | *        | *        | -     | -        | true
            get list | *   | *          | -     | *      | *        | *        | -     | -        | false
            *        | ''  | pods       | -     | create | ''       | pods     | -     | -        | true
            *        | ''  | pods       | -     | create | ''       | pods     | exec  | -        | false
            create   | ''  | pods/exec  | -     | create | ''       | pods     | exec  | -        | true
            get      | ''  | */exec     | -     | get    | ''       | pods     | exec  | -        | true
            get      | ''  | secrets    | -     | get    | apps     | secrets  | -     | -        | false
            approve  | certificates.k8s.io | signers | kubernetes.io/kube-apiserver-client | approve | certificates.k8s.io | signers | - | kubernetes.io/kube-apiserver-client | true
            approve  | certificates.k8s.io | signers | kubernetes.io/legacy-unknown | approve | certificates.k8s.io | signers | - | kubernetes.io/kube-apiserver-client | false
            get      | ''  | secrets    | one   | get    | ''       | secrets  | -     | -        | false
            """)
    void resourceRuleMatchesAsRbacDoes(
            String verbs,
            String groups,
            String resources,
            String names,
            String verb,
            String group,
            String resource,
            String subresource,
            String name,
            boolean expected) {
        var rule = new RbacCheck.ResourceRule(list(verbs), List.of(groups), list(resources), list(names));
        var attributes = new Permission.Attributes(
                verb, group, resource, subresource == null ? "" : subresource, name == null ? "" : name, true);
        assertEquals(expected, rule.matches(attributes));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            RBAC: allowed by ClusterRoleBinding "system:controller:clusterrole-aggregation-controller" of ClusterRole "system:controller:clusterrole-aggregation-controller" to ServiceAccount "clusterrole-aggregation-controller/kube-system" | true
            RBAC: allowed by RoleBinding "system:controller:bootstrap-signer/kube-system" of Role "system:controller:bootstrap-signer" to ServiceAccount "bootstrap-signer/kube-system" | true
            RBAC: allowed by ClusterRoleBinding "ci-admin" of ClusterRole "cluster-admin" to ServiceAccount "ci/default" | false
            RBAC: allowed by RoleBinding "edit/team" of ClusterRole "system:aggregate-to-edit" to ServiceAccount "app/team" | false
            '' | false
            """)
    void onlySystemBindingsAreBootstrapGrants(String reason, boolean bootstrap) {
        assertEquals(bootstrap, new AccessReviews.Verdict(null, true, reason).bootstrap());
    }
}
