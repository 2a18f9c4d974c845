package io.kubetwin.apiserver.authz.review;

import static io.kubetwin.apiserver.registry.virtual.GoType.BOOL;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRING;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRINGS;
import static io.kubetwin.apiserver.registry.virtual.GoType.field;
import static io.kubetwin.apiserver.registry.virtual.GoType.optional;

import io.kubetwin.apiserver.registry.virtual.GoType;
import io.kubetwin.apiserver.registry.virtual.KubeTypes;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;

/**
 * The authorization.k8s.io/v1 review kinds (k8s.io/api/authorization/v1/types.go; field numbers from
 * generated.proto; selector requirements from meta/v1). The post-1.34 {@code authorizationOptions} and
 * {@code conditionalDecision} fields are not part of v1.34.
 */
final class AuthorizationTypes {
    static final String GROUP = "authorization.k8s.io";

    private AuthorizationTypes() {}

    private static GoType.Struct requirement(String name) {
        return GoType.Struct.of(name,
                field("key", 1, STRING),
                field("operator", 2, STRING),
                optional("values", 3, STRINGS));
    }

    private static GoType.Struct selector(String name, GoType.Struct requirement) {
        return GoType.Struct.of(name,
                optional("rawSelector", 1, STRING),
                optional("requirements", 2, new GoType.Slice(requirement)));
    }

    static final GoType.Struct RESOURCE_ATTRIBUTES = GoType.Struct.of("v1.ResourceAttributes",
            optional("namespace", 1, STRING),
            optional("verb", 2, STRING),
            optional("group", 3, STRING),
            optional("version", 4, STRING),
            optional("resource", 5, STRING),
            optional("subresource", 6, STRING),
            optional("name", 7, STRING),
            optional("fieldSelector", 8, new GoType.Ptr(selector("v1.FieldSelectorAttributes",
                    requirement("v1.FieldSelectorRequirement")))),
            optional("labelSelector", 9, new GoType.Ptr(selector("v1.LabelSelectorAttributes",
                    requirement("v1.LabelSelectorRequirement")))));

    static final GoType.Struct NON_RESOURCE_ATTRIBUTES = GoType.Struct.of("v1.NonResourceAttributes",
            optional("path", 1, STRING),
            optional("verb", 2, STRING));

    static final GoType.Struct SUBJECT_ACCESS_REVIEW_SPEC = GoType.Struct.of("v1.SubjectAccessReviewSpec",
            optional("resourceAttributes", 1, new GoType.Ptr(RESOURCE_ATTRIBUTES)),
            optional("nonResourceAttributes", 2, new GoType.Ptr(NON_RESOURCE_ATTRIBUTES)),
            optional("user", 3, STRING),
            optional("groups", 4, STRINGS),
            optional("extra", 5, KubeTypes.extraMap("v1")),
            optional("uid", 6, STRING));

    static final GoType.Struct SUBJECT_ACCESS_REVIEW_STATUS = GoType.Struct.of("v1.SubjectAccessReviewStatus",
            field("allowed", 1, BOOL),
            optional("denied", 4, BOOL),
            optional("reason", 2, STRING),
            optional("evaluationError", 3, STRING));

    static final VirtualCreate.Kind SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(GROUP, "v1", "SubjectAccessReview",
            KubeTypes.object("v1.SubjectAccessReview",
                    field("spec", 2, SUBJECT_ACCESS_REVIEW_SPEC),
                    optional("status", 3, SUBJECT_ACCESS_REVIEW_STATUS)),
            false);

    static final VirtualCreate.Kind LOCAL_SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(GROUP, "v1",
            "LocalSubjectAccessReview",
            KubeTypes.object("v1.LocalSubjectAccessReview",
                    field("spec", 2, SUBJECT_ACCESS_REVIEW_SPEC),
                    optional("status", 3, SUBJECT_ACCESS_REVIEW_STATUS)),
            true);

    static final VirtualCreate.Kind SELF_SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(GROUP, "v1",
            "SelfSubjectAccessReview",
            KubeTypes.object("v1.SelfSubjectAccessReview",
                    field("spec", 2, GoType.Struct.of("v1.SelfSubjectAccessReviewSpec",
                            optional("resourceAttributes", 1, new GoType.Ptr(RESOURCE_ATTRIBUTES)),
                            optional("nonResourceAttributes", 2, new GoType.Ptr(NON_RESOURCE_ATTRIBUTES)))),
                    optional("status", 3, SUBJECT_ACCESS_REVIEW_STATUS)),
            false);

    static final GoType.Struct RESOURCE_RULE = GoType.Struct.of("v1.ResourceRule",
            field("verbs", 1, STRINGS),
            optional("apiGroups", 2, STRINGS),
            optional("resources", 3, STRINGS),
            optional("resourceNames", 4, STRINGS));

    static final GoType.Struct NON_RESOURCE_RULE = GoType.Struct.of("v1.NonResourceRule",
            field("verbs", 1, STRINGS),
            optional("nonResourceURLs", 2, STRINGS));

    static final VirtualCreate.Kind SELF_SUBJECT_RULES_REVIEW = new VirtualCreate.Kind(GROUP, "v1",
            "SelfSubjectRulesReview",
            KubeTypes.object("v1.SelfSubjectRulesReview",
                    field("spec", 2, GoType.Struct.of("v1.SelfSubjectRulesReviewSpec",
                            optional("namespace", 1, STRING))),
                    optional("status", 3, GoType.Struct.of("v1.SubjectRulesReviewStatus",
                            field("resourceRules", 1, new GoType.Slice(RESOURCE_RULE)),
                            field("nonResourceRules", 2, new GoType.Slice(NON_RESOURCE_RULE)),
                            field("incomplete", 3, BOOL),
                            optional("evaluationError", 4, STRING)))),
            false);
}
