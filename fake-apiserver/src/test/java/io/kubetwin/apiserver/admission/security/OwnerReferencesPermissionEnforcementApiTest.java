package io.kubetwin.apiserver.admission.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OwnerReferencesPermissionEnforcement over TLS with RBAC: a user who may create and update config maps but not
 * delete them or set finalizers, with the texts kube-apiserver v1.34.4 answered for the same requests.
 */
class OwnerReferencesPermissionEnforcementApiTest {
    private static final String CMS = "/api/v1/namespaces/default/configmaps";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder()
            .config(b -> b.authorizationModes(List.of("RBAC"))
                    .enableAdmissionPlugins(List.of("OwnerReferencesPermissionEnforcement")))
            .build();

    private static String ownerUid;

    @BeforeAll
    static void seed() {
        ApiClient admin = cluster.admin();
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """
                {"metadata":{"name":"cm"},"rules":[{"apiGroups":[""],"resources":["configmaps"],
                 "verbs":["create","get","update","patch"]}]}""")
                        .code());
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", """
                {"metadata":{"name":"cm"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"cm"},
                 "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}""")
                        .code());
        ApiClient.Response owner = admin.post(CMS, "{\"metadata\":{\"name\":\"owner\"}}");
        assertEquals(201, owner.code());
        ownerUid = owner.json().at("/metadata/uid").asText();
    }

    private static String child(String name, String kind, boolean block) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"ownerReferences\":[{\"apiVersion\":\"v1\",\"kind\":\"" + kind
                + "\",\"name\":\"owner\",\"uid\":\"" + ownerUid + "\"" + (block ? ",\"blockOwnerDeletion\":true" : "")
                + "}]}}";
    }

    @Test
    void blockingAnOwnersDeletionNeedsItsFinalizers() {
        ApiClient.Response r = cluster.as("bob").post(CMS, child("child", "ConfigMap", true));
        assertEquals(403, r.code());
        assertEquals(
                "configmaps \"child\" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a "
                        + "resource you can't set finalizers on: , <nil>",
                r.json().path("message").asText());
        ApiClient.Response unknown = cluster.as("bob").post(CMS, child("child2", "Foo", true));
        assertEquals(
                "configmaps \"child2\" is forbidden: cannot set blockOwnerDeletion in this case because cannot find "
                        + "RESTMapping for APIVersion v1 Kind Foo: no matches for kind \"Foo\" in version \"v1\"",
                unknown.json().path("message").asText());
        assertEquals(
                201,
                cluster.admin()
                        .post(CMS + "?dryRun=All", child("child", "ConfigMap", true))
                        .code());
    }

    @Test
    void changingOwnersNeedsDelete() {
        assertEquals(
                201,
                cluster.as("bob").post(CMS, child("child3", "ConfigMap", false)).code());
        ApiClient.Response r = cluster.as("bob")
                .patch(CMS + "/child3", "{\"metadata\":{\"ownerReferences\":null}}", "application/merge-patch+json");
        assertEquals(403, r.code());
        assertEquals(
                "configmaps \"child3\" is forbidden: cannot set an ownerRef on a resource you can't delete: , <nil>",
                r.json().path("message").asText());
    }
}
