package io.kubetwin.apiserver.authz.review;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.ParsedLabelSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a review spec into authorizer attributes and the authorizer's answer into a
 * SubjectAccessReviewStatus, as pkg/registry/authorization/util/helpers.go does: an empty version matches all
 * ({@code *}); selectors are parsed (AuthorizeWithSelectors is on in v1.34) only to report, in
 * {@code evaluationError}, a selector that could not be used ({@code ... ignored due to parse error}, or
 * {@code partially ignored} when some requirements survived): authorizers here do not narrow by selector.
 * Stateless and thread-safe.
 */
final class ReviewAttributes {
    private static final Set<String> LABEL_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    private ReviewAttributes() {}

    /** The user a SubjectAccessReview asks about (AuthorizationAttributesFrom); a null extra value reads as empty. */
    static UserInfo subject(AccessReviewSpec spec) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.extra().forEach((k, v) -> extra.put(k, v == null ? List.of() : v));
        return new UserInfo(spec.user(), spec.uid(), spec.groups(), extra);
    }

    /** ResourceAttributesFrom / NonResourceAttributesFrom; the spec holds exactly one of them (validated). */
    static Attributes attributes(UserInfo user, AccessReviewSpec spec) {
        AccessReviewSpec.ResourceAttributes r = spec.resource();
        if (r != null) {
            return new Attributes(
                    user,
                    r.verb(),
                    true,
                    "",
                    r.namespace(),
                    r.group(),
                    r.version().isEmpty() ? "*" : r.version(),
                    r.resource(),
                    r.subresource(),
                    r.name());
        }
        return Attributes.nonResource(
                user, spec.nonResource().verb(), spec.nonResource().path());
    }

    /**
     * Asks the authorizer and builds the status: allowed/denied from the decision, its reason, and as
     * evaluationError the authorizer's failure (an exception) and the selector problems, joined by "; ".
     */
    static ObjectNode review(Authorizer authorizer, UserInfo user, AccessReviewSpec spec) {
        Decision decision;
        List<String> errors = new ArrayList<>();
        try {
            decision = authorizer.authorize(attributes(user, spec));
        } catch (RuntimeException e) {
            decision = Decision.noOpinion("");
            errors.add(String.valueOf(e.getMessage()));
        }
        if (spec.resource() != null) {
            selectorErrors(spec.resource(), errors);
        }
        ObjectNode status = JsonNodeFactory.instance.objectNode();
        status.put("allowed", decision instanceof Decision.Allow);
        status.put("denied", decision instanceof Decision.Deny);
        status.put("reason", decision.reason());
        status.put("evaluationError", String.join("; ", errors));
        return status;
    }

    private static void selectorErrors(AccessReviewSpec.ResourceAttributes r, List<String> errors) {
        AccessReviewSpec.Selector fields = r.fieldSelector();
        if (fields != null) {
            report("spec.resourceAttributes.fieldSelector", fields, false, errors);
        }
        AccessReviewSpec.Selector labels = r.labelSelector();
        if (labels != null) {
            report("spec.resourceAttributes.labelSelector", labels, true, errors);
        }
    }

    private static void report(String path, AccessReviewSpec.Selector selector, boolean label, List<String> errors) {
        int usable = 0;
        boolean failed = false;
        if (!selector.requirements().isEmpty()) {
            for (AccessReviewSpec.Requirement req : selector.requirements()) {
                if (label ? usableLabel(req) : usableField(req)) {
                    usable++;
                } else {
                    failed = true;
                }
            }
        } else if (!selector.rawSelector().isEmpty()) {
            try {
                if (label) {
                    ParsedLabelSelector.parse(selector.rawSelector());
                } else {
                    FieldSelector.parse(selector.rawSelector());
                }
            } catch (SelectorException e) {
                failed = true;
            }
        }
        if (failed) {
            errors.add(path + (usable > 0 ? " partially" : "") + " ignored due to parse error");
        }
    }

    /** labelSelectorAsSelector: only the four selector operators convert; keys and values were validated. */
    private static boolean usableLabel(AccessReviewSpec.Requirement req) {
        return LABEL_OPERATORS.contains(req.operator());
    }

    /** fieldSelectorAsSelector: In and NotIn with exactly one value become = and !=; nothing else converts. */
    private static boolean usableField(AccessReviewSpec.Requirement req) {
        return (req.operator().equals("In") || req.operator().equals("NotIn"))
                && req.values().size() == 1;
    }
}
