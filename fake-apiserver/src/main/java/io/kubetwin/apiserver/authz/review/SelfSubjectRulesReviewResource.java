package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.authz.RuleResolver;
import io.kubetwin.apiserver.authz.SubjectRules;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews} ({@code kubectl auth can-i --list}), as
 * pkg/registry/authorization/selfsubjectrulesreview/rest.go serves it: the rules the server's rule resolver
 * finds for the caller's effective user in {@code spec.namespace} (required: 400 {@code no namespace on
 * request}), in a new object whose metadata and spec are empty. Rule lists are never null; resolution errors
 * become {@code evaluationError}. Answers 201. Thread-safe.
 */
public final class SelfSubjectRulesReviewResource implements VirtualResource {
    private final RuleResolver rules;
    private final Clock clock;

    public SelfSubjectRulesReviewResource(RuleResolver rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(AuthorizationTypes.GROUP, "v1", "SelfSubjectRulesReview");
    }

    @Override
    public Future<Answer> handle(Call call) {
        ObjectNode review = VirtualCreate.decode(call, AuthorizationTypes.SELF_SUBJECT_RULES_REVIEW, clock.instant());
        if (call.user() == null) {
            throw Statuses.badRequest("no user present on request");
        }
        String namespace = GoValues.text(review.get("spec"), "namespace");
        if (namespace.isEmpty()) {
            throw Statuses.badRequest("no namespace on request");
        }
        SubjectRules found = rules.rulesFor(call.user(), namespace);
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode status = nodes.objectNode();
        ArrayNode resourceRules = status.putArray("resourceRules");
        for (SubjectRules.ResourceRule r : found.resourceRules()) {
            ObjectNode rule = resourceRules.addObject();
            strings(rule, "verbs", r.verbs());
            strings(rule, "apiGroups", r.apiGroups());
            strings(rule, "resources", r.resources());
            strings(rule, "resourceNames", r.resourceNames());
        }
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        for (SubjectRules.NonResourceRule r : found.nonResourceRules()) {
            ObjectNode rule = nonResourceRules.addObject();
            strings(rule, "verbs", r.verbs());
            strings(rule, "nonResourceURLs", r.nonResourceURLs());
        }
        status.put("incomplete", found.incomplete());
        status.put("evaluationError", found.evaluationError());
        ObjectNode response = nodes.objectNode();
        response.put("kind", "SelfSubjectRulesReview");
        response.put("apiVersion", AuthorizationTypes.GROUP + "/v1");
        response.set("status", status);
        return Future.succeededFuture(new Answer(201, AuthorizationTypes.SELF_SUBJECT_RULES_REVIEW.encode(response)));
    }

    private static void strings(ObjectNode into, String field, List<String> values) {
        ArrayNode array = into.putArray(field);
        values.forEach(array::add);
    }
}
