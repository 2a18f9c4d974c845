package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.apiserver.storage.ResourceKey;

/** Names of the rbac.authorization.k8s.io API that the RBAC code refers to. */
public final class Rbac {
    private Rbac() {}

    public static final String GROUP = "rbac.authorization.k8s.io";
    public static final String API_VERSION = GROUP + "/v1";

    public static final String ROLES = "roles";
    public static final String CLUSTER_ROLES = "clusterroles";
    public static final String ROLE_BINDINGS = "rolebindings";
    public static final String CLUSTER_ROLE_BINDINGS = "clusterrolebindings";

    public static final ResourceKey ROLES_KEY = new ResourceKey(GROUP, ROLES);
    public static final ResourceKey CLUSTER_ROLES_KEY = new ResourceKey(GROUP, CLUSTER_ROLES);
    public static final ResourceKey ROLE_BINDINGS_KEY = new ResourceKey(GROUP, ROLE_BINDINGS);
    public static final ResourceKey CLUSTER_ROLE_BINDINGS_KEY = new ResourceKey(GROUP, CLUSTER_ROLE_BINDINGS);

    /** Verbs RBAC treats specially. Other verbs stay plain strings. */
    public static final String VERB_ALL = "*";

    public static final String VERB_ESCALATE = "escalate";
    public static final String VERB_BIND = "bind";

    public static final String API_GROUP_ALL = "*";
    public static final String RESOURCE_ALL = "*";
    public static final String NON_RESOURCE_ALL = "*";

    /** Label and annotation carried by every bootstrap policy object. */
    public static final String BOOTSTRAPPING_LABEL = "kubernetes.io/bootstrapping";

    public static final String BOOTSTRAPPING_VALUE = "rbac-defaults";
    public static final String AUTOUPDATE_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";
}
