package io.kubetwin.apiserver.registry;

import static io.kubetwin.apiserver.registry.SubresourceType.crossGroup;
import static io.kubetwin.apiserver.registry.SubresourceType.of;

import java.util.List;

/**
 * The built-in resources kubetwin serves, with the discovery data kube-apiserver v1.34 serves for them
 * (recorded from the reference server's /api/v1 and /apis/GROUP/VERSION documents).
 */
final class BuiltInResources {
    private BuiltInResources() {}

    static final List<String> CRUD =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    static final List<String> CREATE_ONLY = List.of("create");
    private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");

    static List<ServedResource> all() {
        String rbac = "rbac.authorization.k8s.io";
        String authn = "authentication.k8s.io";
        String authz = "authorization.k8s.io";
        String certs = "certificates.k8s.io";
        String apiext = "apiextensions.k8s.io";
        return List.of(
                core("configmaps", "configmap", "ConfigMap", true, CRUD, List.of("cm"), List.of(), List.of()),
                core("events", "event", "Event", true, CRUD, List.of("ev"), List.of(), List.of()),
                core(
                        "namespaces",
                        "namespace",
                        "Namespace",
                        false,
                        List.of("create", "delete", "get", "list", "patch", "update", "watch"),
                        List.of("ns"),
                        List.of(),
                        List.of(
                                of("finalize", "Namespace", "update"),
                                of("status", "Namespace", "get", "patch", "update"))),
                core(
                        "nodes",
                        "node",
                        "Node",
                        false,
                        CRUD,
                        List.of("no"),
                        List.of(),
                        List.of(
                                of("proxy", "NodeProxyOptions", "create", "delete", "get", "patch", "update"),
                                of("status", "Node", "get", "patch", "update"))),
                core(
                        "pods",
                        "pod",
                        "Pod",
                        true,
                        CRUD,
                        List.of("po"),
                        List.of("all"),
                        List.of(
                                of("attach", "PodAttachOptions", "create", "get"),
                                of("binding", "Binding", "create"),
                                of("ephemeralcontainers", "Pod", "get", "patch", "update"),
                                crossGroup("eviction", "policy", "v1", "Eviction", "create"),
                                of("exec", "PodExecOptions", "create", "get"),
                                of("log", "Pod", "get"),
                                of("portforward", "PodPortForwardOptions", "create", "get"),
                                of("proxy", "PodProxyOptions", "create", "delete", "get", "patch", "update"),
                                of("resize", "Pod", "get", "patch", "update"),
                                of("status", "Pod", "get", "patch", "update"))),
                core("secrets", "secret", "Secret", true, CRUD, List.of(), List.of(), List.of()),
                core(
                        "serviceaccounts",
                        "serviceaccount",
                        "ServiceAccount",
                        true,
                        CRUD,
                        List.of("sa"),
                        List.of(),
                        List.of(crossGroup("token", authn, "v1", "TokenRequest", "create"))),
                // events.k8s.io/v1 events share core events' storage (same storageVersionHash upstream)
                new ServedResource(
                        type(
                                "events.k8s.io",
                                "events",
                                "event",
                                "Event",
                                true,
                                CRUD,
                                List.of("ev"),
                                List.of(),
                                List.of()),
                        List.of(),
                        "",
                        "v1",
                        "Event"),
                simple(type(
                        rbac,
                        "clusterrolebindings",
                        "clusterrolebinding",
                        "ClusterRoleBinding",
                        false,
                        CRUD,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        rbac,
                        "clusterroles",
                        "clusterrole",
                        "ClusterRole",
                        false,
                        CRUD,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        rbac,
                        "rolebindings",
                        "rolebinding",
                        "RoleBinding",
                        true,
                        CRUD,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(rbac, "roles", "role", "Role", true, CRUD, List.of(), List.of(), List.of())),
                simple(type(
                        authn,
                        "selfsubjectreviews",
                        "selfsubjectreview",
                        "SelfSubjectReview",
                        false,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        authn,
                        "tokenreviews",
                        "tokenreview",
                        "TokenReview",
                        false,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        authz,
                        "localsubjectaccessreviews",
                        "localsubjectaccessreview",
                        "LocalSubjectAccessReview",
                        true,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        authz,
                        "selfsubjectaccessreviews",
                        "selfsubjectaccessreview",
                        "SelfSubjectAccessReview",
                        false,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        authz,
                        "selfsubjectrulesreviews",
                        "selfsubjectrulesreview",
                        "SelfSubjectRulesReview",
                        false,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                simple(type(
                        authz,
                        "subjectaccessreviews",
                        "subjectaccessreview",
                        "SubjectAccessReview",
                        false,
                        CREATE_ONLY,
                        List.of(),
                        List.of(),
                        List.of())),
                ServedResource.of(
                        type(
                                certs,
                                "certificatesigningrequests",
                                "certificatesigningrequest",
                                "CertificateSigningRequest",
                                false,
                                CRUD,
                                List.of("csr"),
                                List.of(),
                                List.of("approval", "status")),
                        List.of(
                                of("approval", "CertificateSigningRequest", "get", "patch", "update"),
                                of("status", "CertificateSigningRequest", "get", "patch", "update"))),
                // CRDs are still stored as apiextensions.k8s.io/v1beta1 upstream (the hash says so)
                new ServedResource(
                        type(
                                apiext,
                                "customresourcedefinitions",
                                "customresourcedefinition",
                                "CustomResourceDefinition",
                                false,
                                CRUD,
                                List.of("crd", "crds"),
                                List.of("api-extensions"),
                                List.of("status")),
                        List.of(of("status", "CustomResourceDefinition", "get", "patch", "update")),
                        apiext,
                        "v1beta1",
                        "CustomResourceDefinition"));
    }

    private static ServedResource core(
            String plural,
            String singular,
            String kind,
            boolean namespaced,
            List<String> verbs,
            List<String> shortNames,
            List<String> categories,
            List<SubresourceType> subs) {
        List<String> names = subs.stream().map(SubresourceType::name).toList();
        return ServedResource.of(
                type("", plural, singular, kind, namespaced, verbs, shortNames, categories, names), subs);
    }

    private static ServedResource simple(ResourceType type) {
        return ServedResource.of(type, List.of());
    }

    private static ResourceType type(
            String group,
            String plural,
            String singular,
            String kind,
            boolean namespaced,
            List<String> verbs,
            List<String> shortNames,
            List<String> categories,
            List<String> subresources) {
        return new ResourceType(
                group, "v1", plural, singular, kind, namespaced, verbs, shortNames, categories, subresources);
    }
}
