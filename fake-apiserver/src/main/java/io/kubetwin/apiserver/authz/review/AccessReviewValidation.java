package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.ObjectMetaValidation;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.KubeTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * The access reviews' validation, as kube-apiserver v1.34 answers it (pkg/apis/authorization/validation and
 * the selector requirement checks of k8s.io/apimachinery/pkg/apis/meta/v1/validation, with unknown operators
 * allowed). Errors are returned in upstream's order; the caller raises them as the 422, whose kind is printed
 * empty ({@code .authorization.k8s.io "" is invalid}) because the decoded object's TypeMeta is cleared.
 */
final class AccessReviewValidation {
    private static final String FIELD_PATH = "spec.resourceAttributes";

    private AccessReviewValidation() {}

    /** ValidateSubjectAccessReviewSpec ({@code self}: ValidateSelfSubjectAccessReviewSpec, no user check). */
    static List<FieldError> spec(AccessReviewSpec spec, boolean self) {
        List<FieldError> errs = new ArrayList<>();
        if (spec.resource() != null && spec.nonResource() != null) {
            errs.add(FieldError.invalid(
                    "spec.nonResourceAttributes",
                    spec.nonResource().asGoStruct(),
                    "cannot be specified in combination with resourceAttributes"));
        }
        if (spec.resource() == null && spec.nonResource() == null) {
            errs.add(FieldError.invalid(
                    "spec.resourceAttributes",
                    null,
                    "exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }
        if (!self && spec.user().isEmpty() && spec.groups().isEmpty()) {
            errs.add(FieldError.invalid("spec.user", spec.user(), "at least one of user or group must be specified"));
        }
        if (spec.resource() != null) {
            selector(spec.resource().fieldSelector(), FIELD_PATH + ".fieldSelector", false, errs);
            selector(spec.resource().labelSelector(), FIELD_PATH + ".labelSelector", true, errs);
        }
        return errs;
    }

    /**
     * The metadata rule of SubjectAccessReview and SelfSubjectAccessReview ("must be empty") or, with
     * {@code namespaceAllowed}, LocalSubjectAccessReview ("must be empty except for namespace"); managedFields
     * never count but are printed.
     */
    static void metadata(JsonNode metadata, boolean namespaceAllowed, List<FieldError> errs) {
        ObjectNode printed = (ObjectNode) GoValues.encode(metadata, KubeTypes.OBJECT_META);
        ObjectNode checked = printed.deepCopy();
        checked.remove("managedFields");
        if (namespaceAllowed) {
            checked.remove("namespace");
        }
        if (!checked.isEmpty()) {
            errs.add(FieldError.invalid(
                    "metadata", printed, namespaceAllowed ? "must be empty except for namespace" : "must be empty"));
        }
    }

    private static void selector(
            AccessReviewSpec.Selector selector, String path, boolean label, List<FieldError> errs) {
        if (selector == null) {
            return;
        }
        if (!selector.rawSelector().isEmpty() && !selector.requirements().isEmpty()) {
            errs.add(FieldError.invalid(
                    path + ".rawSelector",
                    selector.rawSelector(),
                    "may not specified at the same time as requirements"));
        }
        if (selector.rawSelector().isEmpty() && selector.requirements().isEmpty()) {
            errs.add(FieldError.required(
                    path + ".requirements", "when " + path + " is specified, requirements or rawSelector is required"));
        }
        for (int i = 0; i < selector.requirements().size(); i++) {
            String at = path + ".requirements[" + i + "]";
            AccessReviewSpec.Requirement r = selector.requirements().get(i);
            if (label) {
                labelRequirement(r, at, errs);
            } else {
                fieldRequirement(r, at, errs);
            }
        }
    }

    /** metav1validation.ValidateFieldSelectorRequirement with unknown operators allowed. */
    private static void fieldRequirement(AccessReviewSpec.Requirement r, String at, List<FieldError> errs) {
        if (r.key().isEmpty()) {
            errs.add(FieldError.required(at + ".key", "must be specified"));
        }
        operatorValues(r, at, errs);
    }

    /** metav1validation.ValidateLabelSelectorRequirement with unknown operators allowed. */
    private static void labelRequirement(AccessReviewSpec.Requirement r, String at, List<FieldError> errs) {
        operatorValues(r, at, errs);
        for (String msg : ObjectMetaValidation.isQualifiedName(r.key())) {
            errs.add(FieldError.invalid(at + ".key", r.key(), msg));
        }
        for (int i = 0; i < r.values().size(); i++) {
            String v = r.values().get(i);
            for (String msg : ObjectMetaValidation.isValidLabelValue(v)) {
                errs.add(FieldError.invalid(at + ".values[" + i + "]", v, msg));
            }
        }
    }

    private static void operatorValues(AccessReviewSpec.Requirement r, String at, List<FieldError> errs) {
        switch (r.operator()) {
            case "In", "NotIn" -> {
                if (r.values().isEmpty()) {
                    errs.add(FieldError.required(
                            at + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!r.values().isEmpty()) {
                    errs.add(FieldError.forbidden(
                            at + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            default -> {}
        }
    }
}
