package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.pki.GoText;

/**
 * Why a binding's role reference could not be resolved. The wording depends on who resolves it, as upstream:
 * the authorizer reads informer listers ({@code clusterrole.rbac.authorization.k8s.io "x" not found}, singular),
 * the registry reads storage, whose NotFound names the resource of the request being served
 * ({@code rolebindings.rbac.authorization.k8s.io "x" not found} while creating a role binding).
 */
public sealed interface ResolutionError {
    /** The error text, as Go's err.Error(). */
    String message();

    /** How the registry returns this error when it aborts a write (escalation checks of bindings). */
    StatusException toStatusException();

    /** The referenced role does not exist. */
    record RoleNotFound(String group, String resource, String name) implements ResolutionError {
        @Override
        public String message() {
            return Statuses.groupResource(group, resource) + " " + GoText.quote(name) + " not found";
        }

        @Override
        public StatusException toStatusException() {
            return Statuses.notFound(group, resource, name);
        }
    }

    /** A namespaced storage read with no namespace (a ClusterRoleBinding naming a Role, before validation). */
    record NamespaceRequired() implements ResolutionError {
        @Override
        public String message() {
            return "Namespace parameter required.";
        }

        @Override
        public StatusException toStatusException() {
            return Statuses.badRequest(message());
        }
    }

    /** roleRef.kind is neither Role nor ClusterRole (GetRoleReferenceRules in rule.go). */
    record UnsupportedKind(String kind) implements ResolutionError {
        @Override
        public String message() {
            return "unsupported role reference kind: " + GoText.quote(kind);
        }

        @Override
        public StatusException toStatusException() {
            return Statuses.internalError(message());
        }
    }
}
