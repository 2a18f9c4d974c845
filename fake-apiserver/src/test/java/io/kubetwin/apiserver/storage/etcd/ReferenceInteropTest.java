package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.KubeApiServerProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake apiserver and the reference kube-apiserver v1.34.4 on one real etcd: each reads what the other
 * wrote (Namespaces, ConfigMaps, Secrets, Roles, RoleBindings, ClusterRoles), at the same resourceVersion. The
 * fake writes JSON, which the reference's storage decoder accepts; the reference writes protobuf, which the
 * fake decodes. A RoleBinding the reference wrote authorizes in the fake. Skipped without the reference build.
 */
class ReferenceInteropTest {
    @TempDir
    Path dir;

    @Test
    void eachReadsWhatTheOtherWrote() throws Exception {
        try (EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
                TestApiServer fake = TestApiServer.start(etcd.fake("/registry").build())) {
            ApiClient f = fake.admin();
            List<String[]> fromFake = List.of(
                    new String[] {"/api/v1/namespaces", "{\"metadata\":{\"name\":\"interop\"}}"},
                    new String[] {
                        "/api/v1/namespaces/interop/configmaps",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"data\":{\"k\":\"v\"}}"
                    },
                    new String[] {
                        "/api/v1/namespaces/interop/secrets",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"data\":{\"k\":\"dg==\"}}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/roles",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                + "\"resources\":[\"secrets\"],\"verbs\":[\"get\"]}]}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                + "\"kind\":\"Role\",\"name\":\"from-fake\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}"
                    },
                    new String[] {
                        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                        "{\"metadata\":{\"name\":\"from-fake\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                + "\"resources\":[\"pods\"],\"verbs\":[\"list\"]}]}"
                    });
            for (String[] c : fromFake) {
                ApiClient.Response r = f.post(c[0], c[1]);
                assertEquals(201, r.code(), r.body());
            }

            try (KubeApiServerProcess ref = etcd.reference("reference").start()) {
                ApiClient r = ref.admin();
                for (String[] c : fromFake) {
                    String path = c[0] + "/" + (c[1].contains("\"interop\"") ? "interop" : "from-fake");
                    JsonNode seenByFake = f.get(path).json();
                    ApiClient.Response seenByRef = r.get(path);
                    assertEquals(200, seenByRef.code(), path + ": " + seenByRef.body());
                    assertEquals(
                            seenByFake.path("metadata").path("resourceVersion").asText(),
                            seenByRef
                                    .json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            path);
                    assertEquals(
                            seenByFake.path("metadata").path("uid"),
                            seenByRef.json().path("metadata").path("uid"));
                }
                assertEquals(
                        "v",
                        r.get("/api/v1/namespaces/interop/configmaps/from-fake")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());
                assertEquals(
                        "dg==",
                        r.get("/api/v1/namespaces/interop/secrets/from-fake")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());

                List<String[]> fromRef = List.of(
                        new String[] {"/api/v1/namespaces", "{\"metadata\":{\"name\":\"ref-ns\"}}"},
                        new String[] {
                            "/api/v1/namespaces/interop/configmaps",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"data\":{\"k\":\"w\"}}"
                        },
                        new String[] {
                            "/api/v1/namespaces/interop/secrets",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"data\":{\"k\":\"dw==\"}}"
                        },
                        new String[] {
                            "/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                                    + "\"kind\":\"Role\",\"name\":\"from-fake\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"carol\"}]}"
                        },
                        new String[] {
                            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                            "{\"metadata\":{\"name\":\"from-ref\"},\"rules\":[{\"apiGroups\":[\"\"],"
                                    + "\"resources\":[\"pods\"],\"verbs\":[\"get\"]}]}"
                        });
                for (String[] c : fromRef) {
                    ApiClient.Response created = r.post(c[0], c[1]);
                    assertEquals(201, created.code(), created.body());
                    String name = created.json().path("metadata").path("name").asText();
                    ApiClient.Response seenByFake = f.get(c[0] + "/" + name);
                    assertEquals(200, seenByFake.code(), c[0] + ": " + seenByFake.body());
                    assertEquals(
                            created.json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            seenByFake
                                    .json()
                                    .path("metadata")
                                    .path("resourceVersion")
                                    .asText(),
                            c[0]);
                    assertEquals(
                            created.json().path("metadata").path("uid"),
                            seenByFake.json().path("metadata").path("uid"));
                }
                assertEquals(
                        "dw==",
                        f.get("/api/v1/namespaces/interop/secrets/from-ref")
                                .json()
                                .path("data")
                                .path("k")
                                .asText());
                assertEquals(
                        "from-fake",
                        f.get("/apis/rbac.authorization.k8s.io/v1/namespaces/interop/rolebindings/from-ref")
                                .json()
                                .path("roleRef")
                                .path("name")
                                .asText());
                // the fake's RBAC index heard the reference's binding through the etcd watch
                assertEquals(
                        200,
                        TestApiServer.eventually(
                                        () -> fake.as("carol").get("/api/v1/namespaces/interop/secrets/from-ref"),
                                        x -> x.code() == 200)
                                .code());
            }
        }
    }
}
