package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.GoText;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Privilege-escalation prevention for writes of roles and bindings, run by the RBAC registry on create and update
 * after the request itself was authorized and before the object is stored. Mirrors pkg/registry/rbac/escalation_check.go,
 * the policybased storages of pkg/registry/rbac/{role,clusterrole,rolebinding,clusterrolebinding} and
 * ConfirmNoEscalation in pkg/registry/rbac/validation/rule.go:
 * <ul>
 *   <li>members of {@code system:masters} always pass;</li>
 *   <li>Role/ClusterRole: pass if the user may {@code escalate} the resource being written; otherwise the user's own
 *       rules (in the request namespace) must cover the new rules; a ClusterRole with an aggregationRule (new or
 *       old) also needs full authority;</li>
 *   <li>RoleBinding/ClusterRoleBinding: pass if the user may {@code bind} the referenced role; otherwise it must
 *       resolve (or the write fails with that error, e.g. a 404) and the user must hold all of its rules;</li>
 *   <li>an update that changes only GC fields (ownerReferences, finalizers) passes.</li>
 * </ul>
 * Thread-safe; holds no per-request state.
 */
public final class EscalationCheck {
    /** fullAuthority in clusterrole/policybased/storage.go. */
    static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.newRule("*").groups("*").resources("*").build(),
            PolicyRule.newRule("*").urls("*").build());

    private final RbacPolicyIndex index;
    private final Authorizer authorizer;

    /**
     * @param index      the RBAC objects (rules are resolved as the registry does)
     * @param authorizer the server's whole authorizer chain, asked about {@code escalate} and {@code bind}
     */
    public EscalationCheck(RbacPolicyIndex index, Authorizer authorizer) {
        this.index = index;
        this.authorizer = authorizer;
    }

    /**
     * Checks a create ({@code oldObject} null) or update of an RBAC object, dispatching on {@code resource}.
     *
     * @param namespace   the request namespace ("" for cluster-scoped resources)
     * @param requestName the name in the request URL ("" for a create), used for the {@code escalate} check
     * @return the error to fail the write with, or empty to let it proceed
     */
    public Optional<StatusException> check(
            UserInfo user,
            String resource,
            String namespace,
            String requestName,
            ObjectNode newObject,
            ObjectNode oldObject) {
        return switch (resource) {
            case Rbac.ROLES ->
                checkRole(
                        user,
                        namespace,
                        requestName,
                        Role.fromJson(newObject).rules(),
                        name(newObject),
                        gcOnly(newObject, oldObject));
            case Rbac.CLUSTER_ROLES ->
                checkClusterRole(
                        user,
                        requestName,
                        ClusterRole.fromJson(newObject),
                        oldObject == null ? null : ClusterRole.fromJson(oldObject),
                        gcOnly(newObject, oldObject));
            case Rbac.ROLE_BINDINGS ->
                checkBinding(
                        user,
                        Rbac.ROLE_BINDINGS,
                        namespace,
                        name(newObject),
                        RoleRef.fromJson(newObject.get("roleRef")),
                        gcOnly(newObject, oldObject));
            case Rbac.CLUSTER_ROLE_BINDINGS ->
                checkBinding(
                        user,
                        Rbac.CLUSTER_ROLE_BINDINGS,
                        "",
                        name(newObject),
                        RoleRef.fromJson(newObject.get("roleRef")),
                        gcOnly(newObject, oldObject));
            default -> Optional.empty();
        };
    }

    /** A Role write in {@code namespace}; {@code objectName} is metadata.name of the new role. */
    public Optional<StatusException> checkRole(
            UserInfo user,
            String namespace,
            String requestName,
            List<PolicyRule> rules,
            String objectName,
            boolean gcFieldsOnly) {
        if (isPrivileged(user)
                || allowed(user, Rbac.VERB_ESCALATE, Rbac.GROUP, Rbac.ROLES, namespace, requestName)
                || gcFieldsOnly) {
            return Optional.empty();
        }
        BindingRuleWalker resolver = BindingRuleWalker.forRegistry(index, Rbac.GROUP, Rbac.ROLES);
        return confirmNoEscalation(user, namespace, rules, resolver)
                .map(detail -> Statuses.forbiddenWithDetail(Rbac.GROUP, Rbac.ROLES, objectName, detail));
    }

    /** A ClusterRole write; {@code oldRole} null on create. */
    public Optional<StatusException> checkClusterRole(
            UserInfo user, String requestName, ClusterRole newRole, ClusterRole oldRole, boolean gcFieldsOnly) {
        if (isPrivileged(user)
                || allowed(user, Rbac.VERB_ESCALATE, Rbac.GROUP, Rbac.CLUSTER_ROLES, "", requestName)
                || gcFieldsOnly) {
            return Optional.empty();
        }
        BindingRuleWalker resolver = BindingRuleWalker.forRegistry(index, Rbac.GROUP, Rbac.CLUSTER_ROLES);
        Optional<String> missing = confirmNoEscalation(user, "", newRole.rules(), resolver);
        if (missing.isPresent()) {
            return missing.map(d -> Statuses.forbiddenWithDetail(Rbac.GROUP, Rbac.CLUSTER_ROLES, newRole.name(), d));
        }
        // the aggregationRule can gather anything (and prevents tightening), so setting or changing it needs * on *.*
        boolean aggregation = newRole.hasAggregationSelectors() || oldRole != null && oldRole.hasAggregationSelectors();
        if (aggregation
                && confirmNoEscalation(user, "", FULL_AUTHORITY, resolver).isPresent()) {
            return Optional.of(Statuses.forbiddenWithDetail(
                    Rbac.GROUP,
                    Rbac.CLUSTER_ROLES,
                    newRole.name(),
                    "must have cluster-admin privileges to use the aggregationRule"));
        }
        return Optional.empty();
    }

    /**
     * A RoleBinding (namespace non-empty, resource {@code rolebindings}) or ClusterRoleBinding write. A role
     * reference that does not resolve fails the write with the resolution error itself (a 404 naming the binding
     * resource, as observed on v1.34.4).
     */
    public Optional<StatusException> checkBinding(
            UserInfo user,
            String resource,
            String namespace,
            String objectName,
            RoleRef roleRef,
            boolean gcFieldsOnly) {
        if (isPrivileged(user) || gcFieldsOnly || bindAllowed(user, roleRef, namespace)) {
            return Optional.empty();
        }
        BindingRuleWalker resolver = BindingRuleWalker.forRegistry(index, Rbac.GROUP, resource);
        BindingRuleWalker.RoleRules referenced = resolver.roleReferenceRules(roleRef, namespace);
        if (referenced instanceof BindingRuleWalker.RoleRules.Failed failed) {
            return Optional.of(failed.error().toStatusException());
        }
        List<PolicyRule> rules = ((BindingRuleWalker.RoleRules.Found) referenced).rules();
        return confirmNoEscalation(user, namespace, rules, resolver)
                .map(detail -> Statuses.forbiddenWithDetail(Rbac.GROUP, resource, objectName, detail));
    }

    /**
     * ConfirmNoEscalation: empty when the user's rules in {@code namespace} cover {@code rules}, otherwise the error
     * text {@code user "u" (groups=["g"]) is attempting to grant RBAC permissions not currently held:\n<rules>}
     * with the missing rules compacted, printed compactly, de-duplicated and sorted, and
     * {@code ; resolution errors: [...]} appended when the user's own bindings did not all resolve.
     */
    public static Optional<String> confirmNoEscalation(
            UserInfo user, String namespace, List<PolicyRule> rules, BindingRuleWalker resolver) {
        BindingRuleWalker.Rules owner = resolver.rulesFor(user, namespace);
        PolicyComparator.Coverage coverage = PolicyComparator.covers(owner.rules(), rules);
        if (coverage.covered()) {
            return Optional.empty();
        }
        TreeSet<String> descriptions = new TreeSet<>(GoText.ORDER);
        for (PolicyRule missing : PolicyCompaction.compact(coverage.missing())) {
            descriptions.add(missing.compactString());
        }
        String message = "user " + GoText.quote(user.name()) + " (groups=" + GoText.quoteList(user.groups())
                + ") is attempting to grant RBAC permissions not currently held:\n" + String.join("\n", descriptions);
        if (!owner.errors().isEmpty()) {
            // upstream prints a []error holding one aggregate with %v: brackets around the aggregate's text
            message = message + "; resolution errors: [" + GoText.aggregate(owner.errorMessages()) + "]";
        }
        return Optional.of(message);
    }

    /**
     * IsOnlyMutatingGCFields (pkg/registry/rbac/helpers.go): the objects are equal once ownerReferences, finalizers,
     * selfLink and managedFields are taken from the old one. Null/empty values compare equal, as with Go's
     * semantic equality. False when there is no old object.
     */
    public static boolean onlyGcFieldsChanged(ObjectNode newObject, ObjectNode oldObject) {
        if (oldObject == null || newObject == null) {
            return false;
        }
        ObjectNode copy = newObject.deepCopy();
        JsonNode oldMeta = oldObject.get("metadata");
        ObjectNode meta = copy.get("metadata") instanceof ObjectNode m ? m : copy.putObject("metadata");
        for (String field : List.of("ownerReferences", "finalizers", "selfLink", "managedFields")) {
            JsonNode old = oldMeta == null ? null : oldMeta.get(field);
            if (old == null) {
                meta.remove(field);
            } else {
                meta.set(field, old.deepCopy());
            }
        }
        return SemanticJson.equal(copy, oldObject);
    }

    private static boolean gcOnly(ObjectNode newObject, ObjectNode oldObject) {
        return onlyGcFieldsChanged(newObject, oldObject);
    }

    private static String name(ObjectNode object) {
        return Json.text(object.get("metadata"), "name");
    }

    private static boolean isPrivileged(UserInfo user) {
        return user.groups().contains(UserInfo.SYSTEM_PRIVILEGED_GROUP);
    }

    /** BindingAuthorized: {@code bind} on the referenced clusterroles/roles, in the binding's namespace. */
    private boolean bindAllowed(UserInfo user, RoleRef roleRef, String bindingNamespace) {
        String resource =
                switch (roleRef.kind()) {
                    case RoleRef.CLUSTER_ROLE -> Rbac.CLUSTER_ROLES;
                    case RoleRef.ROLE -> Rbac.ROLES;
                    default -> null;
                };
        return resource != null
                && allowed(user, Rbac.VERB_BIND, roleRef.apiGroup(), resource, bindingNamespace, roleRef.name());
    }

    /** Upstream logs an authorizer error and treats it as "not allowed". */
    private boolean allowed(UserInfo user, String verb, String group, String resource, String namespace, String name) {
        try {
            return authorizer
                    .authorize(Attributes.resource(user, verb, group, resource, "", namespace, name))
                    .isAllowed();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
