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
 * The authorization.k8s.io/v1 review kinds (k8s.io/api/authorization/v1/types.go; selector requirements from
 * meta/v1). The post-1.34 {@code authorizationOptions} and
 * {@code conditionalDecision} fields are not part of v1.34.
 */
final class AuthorizationTypes {
    static final String GROUP = "authorization.k8s.io";

    private AuthorizationTypes() {}

    private static GoType.Struct requirement(String name) {
        return GoType.Struct.of(name, field("key", STRING), field("operator", STRING), optional("values", STRINGS));
    }

    private static GoType.Struct selector(String name, GoType.Struct requirement) {
        return GoType.Struct.of(
                name, optional("rawSelector", STRING), optional("requirements", new GoType.Slice(requirement)));
    }

    static final GoType.Struct RESOURCE_ATTRIBUTES = GoType.Struct.of(
            "v1.ResourceAttributes",
            optional("namespace", STRING),
            optional("verb", STRING),
            optional("group", STRING),
            optional("version", STRING),
            optional("resource", STRING),
            optional("subresource", STRING),
            optional("name", STRING),
            optional(
                    "fieldSelector",
                    new GoType.Ptr(selector("v1.FieldSelectorAttributes", requirement("v1.FieldSelectorRequirement")))),
            optional(
                    "labelSelector",
                    new GoType.Ptr(
                            selector("v1.LabelSelectorAttributes", requirement("v1.LabelSelectorRequirement")))));

    static final GoType.Struct NON_RESOURCE_ATTRIBUTES =
            GoType.Struct.of("v1.NonResourceAttributes", optional("path", STRING), optional("verb", STRING));

    static final GoType.Struct SUBJECT_ACCESS_REVIEW_SPEC = GoType.Struct.of(
            "v1.SubjectAccessReviewSpec",
            optional("resourceAttributes", new GoType.Ptr(RESOURCE_ATTRIBUTES)),
            optional("nonResourceAttributes", new GoType.Ptr(NON_RESOURCE_ATTRIBUTES)),
            optional("user", STRING),
            optional("groups", STRINGS),
            optional("extra", KubeTypes.extraMap("v1")),
            optional("uid", STRING));

    static final GoType.Struct SUBJECT_ACCESS_REVIEW_STATUS = GoType.Struct.of(
            "v1.SubjectAccessReviewStatus",
            field("allowed", BOOL),
            optional("denied", BOOL),
            optional("reason", STRING),
            optional("evaluationError", STRING));

    static final VirtualCreate.Kind SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "SubjectAccessReview",
            KubeTypes.object(
                    "v1.SubjectAccessReview",
                    field("spec", SUBJECT_ACCESS_REVIEW_SPEC),
                    optional("status", SUBJECT_ACCESS_REVIEW_STATUS)),
            false);

    static final VirtualCreate.Kind LOCAL_SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "LocalSubjectAccessReview",
            KubeTypes.object(
                    "v1.LocalSubjectAccessReview",
                    field("spec", SUBJECT_ACCESS_REVIEW_SPEC),
                    optional("status", SUBJECT_ACCESS_REVIEW_STATUS)),
            true);

    static final VirtualCreate.Kind SELF_SUBJECT_ACCESS_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "SelfSubjectAccessReview",
            KubeTypes.object(
                    "v1.SelfSubjectAccessReview",
                    field(
                            "spec",
                            GoType.Struct.of(
                                    "v1.SelfSubjectAccessReviewSpec",
                                    optional("resourceAttributes", new GoType.Ptr(RESOURCE_ATTRIBUTES)),
                                    optional("nonResourceAttributes", new GoType.Ptr(NON_RESOURCE_ATTRIBUTES)))),
                    optional("status", SUBJECT_ACCESS_REVIEW_STATUS)),
            false);

    static final GoType.Struct RESOURCE_RULE = GoType.Struct.of(
            "v1.ResourceRule",
            field("verbs", STRINGS),
            optional("apiGroups", STRINGS),
            optional("resources", STRINGS),
            optional("resourceNames", STRINGS));

    static final GoType.Struct NON_RESOURCE_RULE =
            GoType.Struct.of("v1.NonResourceRule", field("verbs", STRINGS), optional("nonResourceURLs", STRINGS));

    static final VirtualCreate.Kind SELF_SUBJECT_RULES_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "SelfSubjectRulesReview",
            KubeTypes.object(
                    "v1.SelfSubjectRulesReview",
                    field("spec", GoType.Struct.of("v1.SelfSubjectRulesReviewSpec", optional("namespace", STRING))),
                    optional(
                            "status",
                            GoType.Struct.of(
                                    "v1.SubjectRulesReviewStatus",
                                    field("resourceRules", new GoType.Slice(RESOURCE_RULE)),
                                    field("nonResourceRules", new GoType.Slice(NON_RESOURCE_RULE)),
                                    field("incomplete", BOOL),
                                    optional("evaluationError", STRING)))),
            false);
}
