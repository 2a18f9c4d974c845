package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.Optional;

/** rbacv1.Subject: who a binding grants to. Unknown kinds are kept (and never match). */
public record Subject(String kind, String apiGroup, String name, String namespace) {
    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";

    public Subject {
        kind = kind == null ? "" : kind;
        apiGroup = apiGroup == null ? "" : apiGroup;
        name = name == null ? "" : name;
        namespace = namespace == null ? "" : namespace;
    }

    public static Subject user(String name) {
        return new Subject(USER, Rbac.GROUP, name, "");
    }

    public static Subject group(String name) {
        return new Subject(GROUP, Rbac.GROUP, name, "");
    }

    /** A service account; {@code namespace} "" means "the binding's namespace" (RoleBindings only). */
    public static Subject serviceAccount(String namespace, String name) {
        return new Subject(SERVICE_ACCOUNT, "", name, namespace);
    }

    public static Subject fromJson(JsonNode node) {
        return new Subject(
                Json.text(node, "kind"),
                Json.text(node, "apiGroup"),
                Json.text(node, "name"),
                Json.text(node, "namespace"));
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.NODES.objectNode();
        node.put("kind", kind);
        if (!apiGroup.isEmpty()) {
            node.put("apiGroup", apiGroup);
        }
        node.put("name", name);
        if (!namespace.isEmpty()) {
            node.put("namespace", namespace);
        }
        return node;
    }

    /**
     * The user name this subject matches when it names one user: the user itself, or
     * {@code system:serviceaccount:<ns>:<name>} for a service account (namespace defaulted to
     * {@code bindingNamespace}). Empty for groups, unknown kinds, and service accounts with no namespace at all.
     */
    public Optional<String> userName(String bindingNamespace) {
        return switch (kind) {
            case USER -> Optional.of(name);
            case SERVICE_ACCOUNT -> {
                String ns = namespace.isEmpty() ? bindingNamespace : namespace;
                yield ns.isEmpty() ? Optional.empty() : Optional.of(UserInfo.SERVICE_ACCOUNT_PREFIX + ns + ":" + name);
            }
            default -> Optional.empty();
        };
    }

    /** appliesToUser in pkg/registry/rbac/validation/rule.go. */
    public boolean appliesTo(UserInfo user, String bindingNamespace) {
        if (GROUP.equals(kind)) {
            return user.groups().contains(name);
        }
        return userName(bindingNamespace).map(user.name()::equals).orElse(false);
    }

    /** describeSubject: {@code User "alice"}, {@code ServiceAccount "name/namespace"} (name first). */
    public String describe(String bindingNamespace) {
        if (SERVICE_ACCOUNT.equals(kind)) {
            String ns = namespace.isEmpty() ? bindingNamespace : namespace;
            return kind + " " + GoText.quote(name + "/" + ns);
        }
        return kind + " " + GoText.quote(name);
    }
}
