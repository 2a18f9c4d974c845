package io.kubetwin.apiserver.registry.codec;

import java.util.HashMap;
import java.util.Map;

/**
 * The protobuf field numbers of the built-in kinds kubectl's typed commands send as
 * {@code application/vnd.kubernetes.protobuf} (kubectl create configmap/secret/serviceaccount/namespace/
 * role/rolebinding/..., auth can-i, auth whoami, create token, certificate approve), as recorded in the
 * k8s.io/api and apimachinery v0.34 generated.proto files. Only decoding is needed: answers are JSON.
 */
final class ProtoSchema {
    private ProtoSchema() {}

    enum Type { STRING, BYTES, BOOL, INT64, INT32, MESSAGE, STRING_MAP, BYTES_MAP, EXTRA_MAP, TIME, MICRO_TIME }

    /** One field: its JSON name, type, whether repeated, and the message type for MESSAGE fields. */
    record Field(String json, Type type, boolean repeated, String message) {}

    /** Message name to field number to field. */
    static final Map<String, Map<Integer, Field>> MESSAGES = new HashMap<>();

    /** (group, kind) of the top-level kinds to their message. */
    static final Map<String, String> KINDS = new HashMap<>();

    private static Builder msg(String name) {
        return new Builder(MESSAGES.computeIfAbsent(name, n -> new HashMap<>()));
    }

    private record Builder(Map<Integer, Field> fields) {
        Builder s(int n, String json) {
            fields.put(n, new Field(json, Type.STRING, false, null));
            return this;
        }

        Builder ss(int n, String json) {
            fields.put(n, new Field(json, Type.STRING, true, null));
            return this;
        }

        Builder f(int n, String json, Type type) {
            fields.put(n, new Field(json, type, false, null));
            return this;
        }

        Builder m(int n, String json, String message) {
            fields.put(n, new Field(json, Type.MESSAGE, false, message));
            return this;
        }

        Builder ms(int n, String json, String message) {
            fields.put(n, new Field(json, Type.MESSAGE, true, message));
            return this;
        }
    }

    static {
        msg("ObjectMeta").s(1, "name").s(2, "generateName").s(3, "namespace").s(4, "selfLink").s(5, "uid")
                .s(6, "resourceVersion").f(7, "generation", Type.INT64).f(8, "creationTimestamp", Type.TIME)
                .f(9, "deletionTimestamp", Type.TIME).f(10, "deletionGracePeriodSeconds", Type.INT64)
                .f(11, "labels", Type.STRING_MAP).f(12, "annotations", Type.STRING_MAP)
                .ms(13, "ownerReferences", "OwnerReference").ss(14, "finalizers");
        msg("OwnerReference").s(5, "apiVersion").s(1, "kind").s(3, "name").s(4, "uid").f(6, "controller", Type.BOOL)
                .f(7, "blockOwnerDeletion", Type.BOOL);
        msg("LabelSelector").f(1, "matchLabels", Type.STRING_MAP).ms(2, "matchExpressions", "Requirement");
        msg("Requirement").s(1, "key").s(2, "operator").ss(3, "values");
        msg("DeleteOptions").f(1, "gracePeriodSeconds", Type.INT64).m(2, "preconditions", "Preconditions")
                .f(3, "orphanDependents", Type.BOOL).s(4, "propagationPolicy").ss(5, "dryRun");
        msg("Preconditions").s(1, "uid").s(2, "resourceVersion");

        msg("ConfigMap").m(1, "metadata", "ObjectMeta").f(4, "immutable", Type.BOOL).f(2, "data", Type.STRING_MAP)
                .f(3, "binaryData", Type.BYTES_MAP);
        msg("Secret").m(1, "metadata", "ObjectMeta").f(5, "immutable", Type.BOOL).f(2, "data", Type.BYTES_MAP)
                .f(4, "stringData", Type.STRING_MAP).s(3, "type");
        msg("ServiceAccount").m(1, "metadata", "ObjectMeta").ms(2, "secrets", "ObjectReference")
                .ms(3, "imagePullSecrets", "LocalObjectReference").f(4, "automountServiceAccountToken", Type.BOOL);
        msg("ObjectReference").s(1, "kind").s(2, "namespace").s(3, "name").s(4, "uid").s(5, "apiVersion")
                .s(6, "resourceVersion").s(7, "fieldPath");
        msg("LocalObjectReference").s(1, "name");
        msg("Namespace").m(1, "metadata", "ObjectMeta").m(2, "spec", "NamespaceSpec");
        msg("NamespaceSpec").ss(1, "finalizers");

        msg("Role").m(1, "metadata", "ObjectMeta").ms(2, "rules", "PolicyRule");
        msg("ClusterRole").m(1, "metadata", "ObjectMeta").ms(2, "rules", "PolicyRule").m(3, "aggregationRule", "AggregationRule");
        msg("PolicyRule").ss(1, "verbs").ss(2, "apiGroups").ss(3, "resources").ss(4, "resourceNames").ss(5, "nonResourceURLs");
        msg("AggregationRule").ms(1, "clusterRoleSelectors", "LabelSelector");
        msg("RoleBinding").m(1, "metadata", "ObjectMeta").ms(2, "subjects", "Subject").m(3, "roleRef", "RoleRef");
        msg("ClusterRoleBinding").m(1, "metadata", "ObjectMeta").ms(2, "subjects", "Subject").m(3, "roleRef", "RoleRef");
        msg("Subject").s(1, "kind").s(2, "apiGroup").s(3, "name").s(4, "namespace");
        msg("RoleRef").s(1, "apiGroup").s(2, "kind").s(3, "name");

        msg("SelfSubjectAccessReview").m(1, "metadata", "ObjectMeta").m(2, "spec", "SelfSubjectAccessReviewSpec");
        msg("SelfSubjectAccessReviewSpec").m(1, "resourceAttributes", "ResourceAttributes")
                .m(2, "nonResourceAttributes", "NonResourceAttributes");
        msg("SubjectAccessReview").m(1, "metadata", "ObjectMeta").m(2, "spec", "SubjectAccessReviewSpec");
        msg("LocalSubjectAccessReview").m(1, "metadata", "ObjectMeta").m(2, "spec", "SubjectAccessReviewSpec");
        msg("SubjectAccessReviewSpec").m(1, "resourceAttributes", "ResourceAttributes")
                .m(2, "nonResourceAttributes", "NonResourceAttributes").s(3, "user").ss(4, "groups")
                .f(5, "extra", Type.EXTRA_MAP).s(6, "uid");
        msg("ResourceAttributes").s(1, "namespace").s(2, "verb").s(3, "group").s(4, "version").s(5, "resource")
                .s(6, "subresource").s(7, "name").m(8, "fieldSelector", "SelectorAttributes").m(9, "labelSelector", "SelectorAttributes");
        msg("SelectorAttributes").s(1, "rawSelector").ms(2, "requirements", "Requirement");
        msg("NonResourceAttributes").s(1, "path").s(2, "verb");
        msg("SelfSubjectRulesReview").m(1, "metadata", "ObjectMeta").m(2, "spec", "SelfSubjectRulesReviewSpec");
        msg("SelfSubjectRulesReviewSpec").s(1, "namespace");

        msg("TokenReview").m(1, "metadata", "ObjectMeta").m(2, "spec", "TokenReviewSpec");
        msg("TokenReviewSpec").s(1, "token").ss(2, "audiences");
        msg("SelfSubjectReview").m(1, "metadata", "ObjectMeta");
        msg("TokenRequest").m(1, "metadata", "ObjectMeta").m(2, "spec", "TokenRequestSpec");
        msg("TokenRequestSpec").ss(1, "audiences").f(4, "expirationSeconds", Type.INT64).m(3, "boundObjectRef", "BoundObjectReference");
        msg("BoundObjectReference").s(1, "kind").s(2, "apiVersion").s(3, "name").s(4, "uid");

        msg("CertificateSigningRequest").m(1, "metadata", "ObjectMeta").m(2, "spec", "CertificateSigningRequestSpec")
                .m(3, "status", "CertificateSigningRequestStatus");
        msg("CertificateSigningRequestSpec").f(1, "request", Type.BYTES).s(7, "signerName").f(8, "expirationSeconds", Type.INT32)
                .ss(5, "usages").s(2, "username").s(3, "uid").ss(4, "groups").f(6, "extra", Type.EXTRA_MAP);
        msg("CertificateSigningRequestStatus").ms(1, "conditions", "CertificateSigningRequestCondition").f(2, "certificate", Type.BYTES);
        msg("CertificateSigningRequestCondition").s(1, "type").s(6, "status").s(2, "reason").s(3, "message")
                .f(4, "lastUpdateTime", Type.TIME).f(5, "lastTransitionTime", Type.TIME);

        String rbac = "rbac.authorization.k8s.io";
        String authz = "authorization.k8s.io";
        String authn = "authentication.k8s.io";
        for (String k : new String[] {"ConfigMap", "Secret", "ServiceAccount", "Namespace"}) {
            KINDS.put("/" + k, k);
        }
        for (String k : new String[] {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"}) {
            KINDS.put(rbac + "/" + k, k);
        }
        for (String k : new String[] {"SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectRulesReview"}) {
            KINDS.put(authz + "/" + k, k);
        }
        for (String k : new String[] {"TokenReview", "SelfSubjectReview", "TokenRequest"}) {
            KINDS.put(authn + "/" + k, k);
        }
        KINDS.put("certificates.k8s.io/CertificateSigningRequest", "CertificateSigningRequest");
        KINDS.put("meta.k8s.io/DeleteOptions", "DeleteOptions");
        KINDS.put("/DeleteOptions", "DeleteOptions");
    }
}
