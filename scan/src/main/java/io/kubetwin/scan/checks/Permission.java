package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.util.List;

/**
 * A dangerous permission the RBAC check asks about, as the resource attributes of one or more access reviews.
 * {@code allOf}: every attribute must be allowed (approving a CSR takes both the approval subresource and the
 * signer); otherwise any one allowed grants it.
 *
 * @param rule       the finding's rule
 * @param attributes the attributes asked
 * @param allOf      whether all must be allowed
 */
record Permission(Rule rule, List<Attributes> attributes, boolean allOf) {

    /**
     * One {@code resourceAttributes}; {@code namespaced} ones are asked in the subject's namespace (a service
     * account's own) or across all namespaces.
     */
    record Attributes(String verb, String group, String resource, String subresource, String name, boolean namespaced) {
        String describe() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                    + (subresource.isEmpty() ? "" : "/" + subresource) + (name.isEmpty() ? "" : " " + name);
        }
    }

    static Attributes ns(String verb, String group, String resource, String subresource) {
        return new Attributes(verb, group, resource, subresource, "", true);
    }

    static Attributes cluster(String verb, String group, String resource, String subresource, String name) {
        return new Attributes(verb, group, resource, subresource, name, false);
    }

    private static final String CIS_518 = "CIS 5.1.8 (limit bind, impersonate and escalate)";

    /** The set the issue names: who can take over the cluster, read its secrets, or run code on its nodes. */
    static final List<Permission> ALL = List.of(
            new Permission(
                    new Rule(
                            "KT-RBAC-WILDCARD",
                            "Wildcard grant: every verb on every resource",
                            Severity.CRITICAL,
                            "CIS 5.1.1 (cluster-admin only where required); CIS 5.1.3 (minimize wildcards)",
                            "Replace * verbs and resources with the ones needed."),
                    List.of(cluster("*", "*", "*", "", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-SECRETS",
                            "Can read secrets",
                            Severity.HIGH,
                            "CIS 5.1.2 (minimize access to secrets)",
                            "Grant get/list/watch on secrets only to the controllers that need them."),
                    List.of(
                            ns("get", "", "secrets", ""),
                            ns("list", "", "secrets", ""),
                            ns("watch", "", "secrets", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-CREATE-PODS",
                            "Can create pods",
                            Severity.HIGH,
                            "CIS 5.1.4 (minimize access to create pods)",
                            "Creating a pod can mount any secret and service account of its namespace."),
                    List.of(ns("create", "", "pods", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-EXEC",
                            "Can exec into pods",
                            Severity.HIGH,
                            "CIS 5.1.4; second seed article, Kubelet security (exec commands on the node)",
                            "pods/exec runs commands in any pod of the namespace; the WebSocket form needs only get."),
                    List.of(ns("create", "", "pods", "exec"), ns("get", "", "pods", "exec")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-IMPERSONATE",
                            "Can impersonate users, groups or service accounts",
                            Severity.CRITICAL,
                            CIS_518,
                            "Impersonating system:masters is cluster-admin."),
                    List.of(
                            cluster("impersonate", "", "users", "", ""),
                            cluster("impersonate", "", "groups", "", ""),
                            cluster("impersonate", "", "serviceaccounts", "", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-ESCALATE",
                            "Can escalate roles",
                            Severity.CRITICAL,
                            CIS_518,
                            "escalate lets a role gain permissions its editor does not hold."),
                    List.of(
                            cluster("escalate", "rbac.authorization.k8s.io", "clusterroles", "", ""),
                            ns("escalate", "rbac.authorization.k8s.io", "roles", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-BIND",
                            "Can bind roles",
                            Severity.CRITICAL,
                            CIS_518,
                            "bind lets a subject grant roles it does not hold, cluster-admin included."),
                    List.of(
                            cluster("bind", "rbac.authorization.k8s.io", "clusterroles", "", ""),
                            ns("bind", "rbac.authorization.k8s.io", "roles", "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-SA-TOKEN",
                            "Can create service-account tokens",
                            Severity.HIGH,
                            "CIS 5.1.13 (minimize access to service account token creation)",
                            "serviceaccounts/token mints credentials for any service account of the namespace."),
                    List.of(ns("create", "", "serviceaccounts", "token")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-CSR-APPROVE",
                            "Can approve certificate signing requests",
                            Severity.HIGH,
                            "CIS 5.1.11 (minimize access to the approval sub-resource of CSRs); first seed article, "
                                    + "Certificates for users",
                            "Approving a kube-apiserver-client CSR issues a client certificate for any user and group."),
                    List.of(
                            cluster("update", "certificates.k8s.io", "certificatesigningrequests", "approval", ""),
                            cluster(
                                    "approve",
                                    "certificates.k8s.io",
                                    "signers",
                                    "",
                                    "kubernetes.io/kube-apiserver-client")),
                    true),
            new Permission(
                    new Rule(
                            "KT-RBAC-WEBHOOK",
                            "Can write admission webhook configurations",
                            Severity.HIGH,
                            "CIS 5.1.12 (minimize access to webhook configuration objects); second seed article, "
                                    + "admission controllers",
                            "A webhook configuration sees, rewrites or blocks every matching request."),
                    List.of(
                            cluster("create", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", ""),
                            cluster("update", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", ""),
                            cluster(
                                    "create",
                                    "admissionregistration.k8s.io",
                                    "validatingwebhookconfigurations",
                                    "",
                                    ""),
                            cluster(
                                    "update",
                                    "admissionregistration.k8s.io",
                                    "validatingwebhookconfigurations",
                                    "",
                                    "")),
                    false),
            new Permission(
                    new Rule(
                            "KT-RBAC-NODES-PROXY",
                            "Can reach kubelets through nodes/proxy",
                            Severity.HIGH,
                            "CIS 5.1.10 (minimize access to the proxy sub-resource of nodes); second seed article, "
                                    + "Kubelet security",
                            "nodes/proxy reaches the kubelet API (pods, exec, logs) through the apiserver."),
                    List.of(cluster("get", "", "nodes", "proxy", ""), cluster("create", "", "nodes", "proxy", "")),
                    false));
}
