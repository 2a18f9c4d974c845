package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scan.model.Exchange;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import io.kubetwin.scan.probe.Answer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who holds the dangerous permissions of {@link Permission#ALL}, as the cluster itself answers: the kubeconfig's
 * user through a SelfSubjectRulesReview (its own rules, reported as notes-level findings: what a leak of this
 * credential gives), and through SubjectAccessReviews: anonymous clients, any authenticated user, any service
 * account, and every ServiceAccount the user can list (in its own namespace). A permission already held by a broader
 * subject is reported once, for the broadest (anonymous, then authenticated, then all service accounts). Grants from
 * {@code system:} bindings of the bootstrap policy (the controllers' own roles) are expected and only counted.
 */
public final class RbacCheck implements Check {

    @Override
    public String name() {
        return "rbac";
    }

    @Override
    public String description() {
        return "Who can create pods, exec, read secrets, impersonate, escalate, bind, mint tokens, approve CSRs, write "
                + "webhooks, reach nodes/proxy, or holds wildcards (SelfSubjectRulesReview, SubjectAccessReview)";
    }

    @Override
    public List<Rule> rules() {
        return Permission.ALL.stream().map(Permission::rule).toList();
    }

    @Override
    public void run(ScanContext context, Findings out) {
        selfRules(context, out);
        var reviews = new AccessReviews(context.user());
        var subjects = new ArrayList<AccessReviews.Subject>();
        subjects.add(new AccessReviews.Subject(
                "system:anonymous (unauthenticated clients)",
                "system:anonymous",
                List.of("system:unauthenticated"),
                null));
        subjects.add(new AccessReviews.Subject(
                "system:authenticated (any authenticated user)",
                "kubetwin-scan:any-user",
                List.of("system:authenticated"),
                null));
        subjects.add(new AccessReviews.Subject(
                "system:serviceaccounts (any service account)",
                "system:serviceaccount:kubetwin-scan-probe:any",
                List.of("system:serviceaccounts", "system:serviceaccounts:kubetwin-scan-probe", "system:authenticated"),
                null));
        subjects.addAll(serviceAccounts(context, out));

        // the first SAR tells whether the scanning user may ask at all
        var probe =
                reviews.ask(subjects.get(0), Permission.ALL.get(0).attributes().get(0));
        if (probe.answer().code() != 201) {
            out.note("SubjectAccessReview refused (" + probe.answer().exchange().summary()
                    + "): only the scanning user's own rules were assessed");
            return;
        }
        Set<String> heldByBroader = new HashSet<>();
        int bootstrap = 0;
        for (var subject : subjects) {
            boolean group = subject.namespace() == null;
            for (var permission : Permission.ALL) {
                String id = permission.rule().id();
                if (heldByBroader.contains(id)) {
                    continue;
                }
                var evidence = new ArrayList<Exchange>();
                var reasons = new ArrayList<String>();
                boolean granted = permission.allOf();
                boolean allBootstrap = true;
                for (var attributes : permission.attributes()) {
                    var v = reviews.ask(subject, attributes);
                    if (v.answer().code() != 201) {
                        out.note("SubjectAccessReview for " + subject.label() + ", " + attributes.describe() + ": "
                                + v.answer().exchange().summary());
                    }
                    if (v.allowed()) {
                        evidence.add(v.answer().exchange());
                        reasons.add(attributes.describe() + (v.reason().isEmpty() ? "" : " (" + v.reason() + ")"));
                        allBootstrap &= v.bootstrap();
                        if (!permission.allOf()) {
                            granted = true;
                            break;
                        }
                    } else if (permission.allOf()) {
                        granted = false;
                        break;
                    }
                }
                if (!granted) {
                    continue;
                }
                if (allBootstrap) {
                    bootstrap++;
                    continue;
                }
                out.add(permission
                        .rule()
                        .finding(
                                subject.label(),
                                subject.label() + " is allowed: " + String.join("; ", reasons) + ".",
                                evidence));
                if (group) {
                    heldByBroader.add(id);
                }
            }
        }
        if (bootstrap > 0) {
            out.note(bootstrap + " grant(s) to service accounts come from system: bindings of the bootstrap policy "
                    + "(controllers' own roles) and are not reported");
        }
    }

    /** ServiceAccounts the scanning user can list, each a subject asked in its own namespace. */
    private static List<AccessReviews.Subject> serviceAccounts(ScanContext context, Findings out) {
        Answer list = context.user().get("/api/v1/serviceaccounts");
        if (!list.ok()) {
            out.note("ServiceAccounts not listed (" + list.exchange().summary() + "): only groups were assessed");
            return List.of();
        }
        var subjects = new ArrayList<AccessReviews.Subject>();
        for (JsonNode sa : list.json().path("items")) {
            String ns = sa.path("metadata").path("namespace").asText();
            String name = sa.path("metadata").path("name").asText();
            subjects.add(new AccessReviews.Subject(
                    "serviceaccount " + ns + "/" + name,
                    "system:serviceaccount:" + ns + ":" + name,
                    List.of("system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"),
                    ns));
        }
        return subjects;
    }

    /** The scanning user's own grants, from its SelfSubjectRulesReview in {@code default}. */
    private static void selfRules(ScanContext context, Findings out) {
        var answer = context.user()
                .post(
                        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                        "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                                + "\"spec\":{\"namespace\":\"default\"}}");
        if (answer.code() != 201) {
            out.note("SelfSubjectRulesReview refused: " + answer.exchange().summary());
            return;
        }
        var status = answer.json().path("status");
        if (status.path("incomplete").asBoolean()) {
            out.note("SelfSubjectRulesReview is incomplete ("
                    + status.path("evaluationError").asText()
                    + "): the scanning user's own grants may be more than reported");
        }
        var rules = new ArrayList<ResourceRule>();
        status.path("resourceRules").forEach(r -> rules.add(ResourceRule.of(r)));
        String who = context.identity() == null
                ? "the kubeconfig's user"
                : "user " + context.identity().name() + " (this kubeconfig)";
        for (var permission : Permission.ALL) {
            Map<String, ResourceRule> matched = new LinkedHashMap<>();
            for (var attributes : permission.attributes()) {
                rules.stream()
                        .filter(r -> r.matches(attributes))
                        .findFirst()
                        .ifPresent(r -> matched.put(attributes.describe(), r));
            }
            boolean granted = permission.allOf()
                    ? matched.size() == permission.attributes().size()
                    : !matched.isEmpty();
            if (granted) {
                out.add(permission
                        .rule()
                        .finding(
                                Severity.INFO,
                                who,
                                who + " holds " + String.join("; ", matched.keySet()) + " in namespace default (rules: "
                                        + matched.values() + "). A leak of this credential gives as much.",
                                List.of(answer.exchange())));
            }
        }
    }

    /** One {@code resourceRules} entry of a SelfSubjectRulesReview, matched as RBAC's rule matcher does. */
    record ResourceRule(
            List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames) {
        static ResourceRule of(JsonNode r) {
            return new ResourceRule(
                    texts(r.path("verbs")),
                    texts(r.path("apiGroups")),
                    texts(r.path("resources")),
                    texts(r.path("resourceNames")));
        }

        private static List<String> texts(JsonNode array) {
            var out = new ArrayList<String>();
            array.forEach(n -> out.add(n.asText()));
            return out;
        }

        /**
         * plugin/pkg/auth/authorizer/rbac/rbac.go RuleAllows: verb, group, resource (whole, with a subresource,
         * or any resource with that subresource) and resource names. A {@code *} asked only matches a {@code *} granted.
         */
        boolean matches(Permission.Attributes a) {
            String combined = a.subresource().isEmpty() ? a.resource() : a.resource() + "/" + a.subresource();
            boolean verb = verbs.contains("*") || verbs.contains(a.verb());
            boolean group = apiGroups.contains("*") || apiGroups.contains(a.group());
            boolean resource = resources.contains("*")
                    || resources.contains(combined)
                    || (!a.subresource().isEmpty() && resources.contains("*/" + a.subresource()));
            boolean name = resourceNames.isEmpty() || (!a.name().isEmpty() && resourceNames.contains(a.name()));
            return verb && group && resource && name;
        }

        @Override
        public String toString() {
            return "verbs=" + verbs + " apiGroups=" + apiGroups + " resources=" + resources
                    + (resourceNames.isEmpty() ? "" : " resourceNames=" + resourceNames);
        }
    }
}
