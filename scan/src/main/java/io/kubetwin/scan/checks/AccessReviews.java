package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.scan.probe.Answer;
import io.kubetwin.scan.probe.ApiProbe;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SubjectAccessReviews ({@code authorization.k8s.io/v1}) sent as the scanning user: "may this user, with these groups,
 * do this?", answered by the cluster's own authorizers.
 */
final class AccessReviews {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The binding an RBAC allow names (rbac.go clusterRoleBindingDescriber / roleBindingDescriber):
     * {@code ClusterRoleBinding "name"} or {@code RoleBinding "name/namespace"}.
     */
    private static final Pattern BINDING = Pattern.compile("allowed by (?:Cluster)?RoleBinding \"([^\"/]*)");

    /** A subject of the reviews: the name shown in findings, the user and groups sent. */
    record Subject(String label, String user, List<String> groups, String namespace) {}

    /** The answer to one review. */
    record Verdict(Answer answer, boolean allowed, String reason) {
        /**
         * Whether the allow comes from a binding of the bootstrap policy ({@code system:}-named, e.g. a controller's
         * own role): expected on every cluster, so not a finding.
         */
        boolean bootstrap() {
            var m = BINDING.matcher(reason);
            return m.find() && m.group(1).startsWith("system:");
        }
    }

    private final ApiProbe probe;

    AccessReviews(ApiProbe probe) {
        this.probe = probe;
    }

    Verdict ask(Subject subject, Permission.Attributes attributes) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "authorization.k8s.io/v1");
        review.put("kind", "SubjectAccessReview");
        var spec = review.putObject("spec");
        var ra = spec.putObject("resourceAttributes");
        if (attributes.namespaced() && subject.namespace() != null) {
            ra.put("namespace", subject.namespace());
        }
        ra.put("verb", attributes.verb());
        ra.put("group", attributes.group());
        ra.put("resource", attributes.resource());
        if (!attributes.subresource().isEmpty()) {
            ra.put("subresource", attributes.subresource());
        }
        if (!attributes.name().isEmpty()) {
            ra.put("name", attributes.name());
        }
        spec.put("user", subject.user());
        var groups = spec.putArray("groups");
        subject.groups().forEach(groups::add);
        var answer = probe.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review.toString());
        var status = answer.json().path("status");
        return new Verdict(
                answer,
                answer.code() == 201 && status.path("allowed").asBoolean(),
                status.path("reason").asText(""));
    }
}
