package io.kubetwin.apiserver.certificates;

import static io.kubetwin.apiserver.testing.TestApiServer.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Csr;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Pem;
import io.kubetwin.pki.SubjectNames;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The certificates.k8s.io/v1 CSR API over TLS, as recorded from the reference (kube-apiserver and
 * kube-controller-manager v1.34.4): the seed article's user provisioning end to end, the approval and
 * signing authorization of the admission plugins, and the signer's refusals.
 */
class CsrApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private final ApiClient admin = cluster.admin();

    @BeforeAll
    static void seed() throws Exception {
        ApiClient admin = cluster.admin();
        // alice may update the approval and status subresources; carol may also approve for kubernetes.io signers
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"csr-approval-only"},
                 "rules":[{"apiGroups":["certificates.k8s.io"],"resources":["certificatesigningrequests",
                   "certificatesigningrequests/approval","certificatesigningrequests/status"],"verbs":["get","list","update","create"]}]}
                """)
                        .code());
        assertEquals(
                201,
                admin.post("/apis/rbac.authorization.k8s.io/v1/clusterroles", """
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"csr-approver"},
                 "rules":[{"apiGroups":["certificates.k8s.io"],"resources":["signers"],"resourceNames":["kubernetes.io/*"],
                   "verbs":["approve"]}]}
                """)
                        .code());
        binding(admin, "alice-approval", "csr-approval-only", "alice", "carol");
        binding(admin, "carol-approver", "csr-approver", "carol");
    }

    private static void binding(ApiClient admin, String name, String role, String... users) {
        StringBuilder subjects = new StringBuilder();
        for (String u : users) {
            subjects.append(subjects.length() == 0 ? "" : ",")
                    .append("{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":\"")
                    .append(u)
                    .append("\"}");
        }
        assertEquals(
                201,
                admin.post(
                                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":{\"name\":\""
                                        + name
                                        + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\",\"name\":\""
                                        + role
                                        + "\"},\"subjects\":[" + subjects + "]}")
                        .code());
    }

    private static String csr(String name, String signer, String requestPem, String extraSpec, String... usages) {
        StringBuilder u = new StringBuilder();
        for (String usage : usages) {
            u.append(u.length() == 0 ? "" : ",").append('"').append(usage).append('"');
        }
        return "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\",\"metadata\":{\"name\":\""
                + name
                + "\"},\"spec\":{\"request\":\""
                + Base64.getEncoder().encodeToString(requestPem.getBytes(StandardCharsets.US_ASCII))
                + "\"" + (signer == null ? "" : ",\"signerName\":\"" + signer + "\"") + extraSpec + ",\"usages\":[" + u
                + "]}}";
    }

    private static String approval(ApiClient.Response current, String type) throws Exception {
        ObjectNode csr = (ObjectNode) current.json();
        ((ObjectNode) csr.get("status"))
                .putArray("conditions")
                .addObject()
                .put("type", type)
                .put("status", "True")
                .put("reason", "KubectlApprove")
                .put("message", "This CSR was approved by kubectl certificate approve.");
        return JSON.writeValueAsString(csr);
    }

    @Test
    void provisionsAUserTheSeedArticlesWay() throws Exception {
        KeyPair keys = KeyType.RSA_2048.generate();
        String request = Csr.create(keys, "mynewuser", "company").pem();
        ApiClient.Response created = admin.post(
                CSRS,
                csr(
                        "mynewuser",
                        SignerNames.KUBE_APISERVER_CLIENT,
                        request,
                        ",\"expirationSeconds\":86400",
                        "client auth"));
        assertEquals(201, created.code(), created.body());
        JsonNode spec = created.json().get("spec");
        assertEquals("kubernetes-admin", spec.get("username").asText());
        assertEquals(
                "[\"system:masters\",\"system:authenticated\"]",
                spec.get("groups").toString());
        assertTrue(spec.path("extra")
                .path("authentication.kubernetes.io/credential-id")
                .get(0)
                .asText()
                .startsWith("X509SHA256="));
        assertEquals("{}", created.json().get("status").toString());
        assertEquals(
                List.of("request", "signerName", "expirationSeconds", "usages", "username", "groups", "extra"),
                fieldNames(spec));

        ApiClient.Response current = admin.get(CSRS + "/mynewuser");
        ApiClient.Response approved =
                cluster.as("carol").put(CSRS + "/mynewuser/approval", approval(current, "Approved"));
        assertEquals(200, approved.code(), approved.body());
        JsonNode condition = approved.json().path("status").path("conditions").get(0);
        assertEquals(
                List.of("type", "status", "reason", "message", "lastUpdateTime", "lastTransitionTime"),
                fieldNames(condition));
        assertEquals(condition.get("lastUpdateTime"), condition.get("lastTransitionTime"));

        ApiClient.Response issued = eventually(
                () -> admin.get(CSRS + "/mynewuser"),
                r -> r.json().path("status").has("certificate"));
        assertEquals(
                List.of("certificate", "conditions"),
                List.of("certificate", "conditions").stream()
                        .filter(f -> issued.json().path("status").has(f))
                        .toList());
        String pem = new String(
                Base64.getDecoder()
                        .decode(issued.json().path("status").path("certificate").asText()),
                StandardCharsets.US_ASCII);
        X509Certificate cert = Pem.parseCertificate(pem);
        assertEquals("CN=mynewuser,O=company", cert.getSubjectX500Principal().getName(), "Go writes O before CN");
        assertEquals(List.of("company"), SubjectNames.organizations(cert));
        assertEquals(
                Duration.ofHours(24),
                Duration.between(
                        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());

        // the new certificate authenticates: RBAC, not authentication, answers
        ApiClient.Response asUser =
                cluster.with(new Credential(cert, keys.getPrivate())).get("/api/v1/namespaces/default/pods");
        assertEquals(403, asUser.code());
        assertEquals(
                "pods is forbidden: User \"mynewuser\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
                asUser.message());
    }

    @Test
    void approvalNeedsTheUpdateOnTheSubresourceAndTheApproveVerbOnTheSigner() throws Exception {
        String request =
                Csr.create(KeyType.EC_P256.generate(), "pending", "company").pem();
        assertEquals(
                201,
                admin.post(CSRS, csr("pending1", SignerNames.KUBE_APISERVER_CLIENT, request, "", "client auth"))
                        .code());
        String body = approval(admin.get(CSRS + "/pending1"), "Approved");

        ApiClient.Response bob = cluster.as("bob").put(CSRS + "/pending1/approval", body);
        assertEquals(403, bob.code());
        assertEquals(
                "certificatesigningrequests.certificates.k8s.io \"pending1\" is forbidden: User \"bob\" cannot update "
                        + "resource \"certificatesigningrequests/approval\" in API group \"certificates.k8s.io\" at the cluster scope",
                bob.message());

        ApiClient.Response alice = cluster.as("alice").put(CSRS + "/pending1/approval", body);
        assertEquals(403, alice.code());
        assertEquals(
                "certificatesigningrequests.certificates.k8s.io \"pending1\" is forbidden: user not permitted to approve "
                        + "requests with signerName \"kubernetes.io/kube-apiserver-client\"",
                alice.message());
        assertEquals(
                "{\"name\":\"pending1\",\"group\":\"certificates.k8s.io\",\"kind\":\"certificatesigningrequests\"}",
                alice.json().get("details").toString());

        // a status write that sets a certificate needs "sign"
        ObjectNode withCert = (ObjectNode) admin.get(CSRS + "/pending1").json();
        ((ObjectNode) withCert.get("status"))
                .put(
                        "certificate",
                        Base64.getEncoder()
                                .encodeToString(cluster.server()
                                        .clusterCa()
                                        .certificatePem()
                                        .getBytes(StandardCharsets.US_ASCII)));
        ApiClient.Response sign = cluster.as("alice").put(CSRS + "/pending1/status", JSON.writeValueAsString(withCert));
        assertEquals(403, sign.code());
        assertEquals(
                "certificatesigningrequests.certificates.k8s.io \"pending1\" is forbidden: user not permitted to sign "
                        + "requests with signerName \"kubernetes.io/kube-apiserver-client\"",
                sign.message());
    }

    @Test
    void approvalConditionsAreValidated() throws Exception {
        String request =
                Csr.create(KeyType.EC_P256.generate(), "pending", "company").pem();
        assertEquals(
                201,
                admin.post(CSRS, csr("pending2", SignerNames.KUBE_APISERVER_CLIENT, request, "", "client auth"))
                        .code());
        ObjectNode both = (ObjectNode) admin.get(CSRS + "/pending2").json();
        ((ObjectNode) both.get("status"))
                .putArray("conditions")
                .add(JSON.readTree("{\"type\":\"Approved\",\"status\":\"True\"}"))
                .add(JSON.readTree("{\"type\":\"Denied\",\"status\":\"True\"}"));
        ApiClient.Response r = admin.put(CSRS + "/pending2/approval", JSON.writeValueAsString(both));
        assertEquals(422, r.code());
        assertEquals(
                "CertificateSigningRequest.certificates.k8s.io \"pending2\" is invalid: status.conditions: Invalid value: "
                        + "\"Denied\": Approved and Denied conditions are mutually exclusive",
                r.message());

        ObjectNode viaStatus = (ObjectNode) admin.get(CSRS + "/pending2").json();
        ((ObjectNode) viaStatus.get("status"))
                .putArray("conditions")
                .add(JSON.readTree("{\"type\":\"Approved\",\"status\":\"True\"}"));
        r = admin.put(CSRS + "/pending2/status", JSON.writeValueAsString(viaStatus));
        assertEquals(422, r.code());
        assertEquals(
                "CertificateSigningRequest.certificates.k8s.io \"pending2\" is invalid: status.conditions: Forbidden: "
                        + "updates may not add a condition of type \"Approved\"",
                r.message());

        // through the object itself the conditions are ignored, and an unchanged object keeps its resourceVersion
        String before = admin.get(CSRS + "/pending2")
                .json()
                .at("/metadata/resourceVersion")
                .asText();
        r = admin.put(CSRS + "/pending2", JSON.writeValueAsString(viaStatus));
        assertEquals(200, r.code());
        assertEquals("{}", r.json().get("status").toString());
        assertEquals(before, r.json().at("/metadata/resourceVersion").asText());
    }

    @Test
    void theKubeApiserverClientSignerRefusesSystemMastersAndOtherUsages() throws Exception {
        String masters =
                Csr.create(KeyType.EC_P256.generate(), "evil", "system:masters").pem();
        ApiClient.Response r =
                admin.post(CSRS, csr("masters", SignerNames.KUBE_APISERVER_CLIENT, masters, "", "client auth"));
        assertEquals(403, r.code());
        assertEquals(
                "certificatesigningrequests.certificates.k8s.io \"masters\" is forbidden: use of "
                        + "kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed",
                r.message());

        String request =
                Csr.create(KeyType.EC_P256.generate(), "server", "company").pem();
        assertEquals(
                201,
                admin.post(CSRS, csr("wrongusage", SignerNames.KUBE_APISERVER_CLIENT, request, "", "server auth"))
                        .code());
        assertEquals(
                200,
                admin.put(CSRS + "/wrongusage/approval", approval(admin.get(CSRS + "/wrongusage"), "Approved"))
                        .code());
        ApiClient.Response failed = eventually(
                () -> admin.get(CSRS + "/wrongusage"),
                x -> x.json().path("status").path("conditions").size() == 2);
        JsonNode condition = failed.json().path("status").path("conditions").get(1);
        assertEquals("Failed", condition.get("type").asText());
        assertEquals("SignerValidationFailure", condition.get("reason").asText());
        assertEquals(
                "invalid usage for client certificate: server auth",
                condition.get("message").asText());
        assertFalse(failed.json().path("status").has("certificate"));
    }

    @Test
    void kubeletClientRequestsAreAutoApprovedForCallersAllowedNodeclient() {
        String request = Csr.create(KeyType.EC_P256.generate(), "system:node:n1", "system:nodes")
                .pem();
        assertEquals(
                201,
                admin.post(
                                CSRS,
                                csr(
                                        "node-client",
                                        SignerNames.KUBE_APISERVER_CLIENT_KUBELET,
                                        request,
                                        "",
                                        "digital signature",
                                        "client auth"))
                        .code());
        ApiClient.Response issued = eventually(
                () -> admin.get(CSRS + "/node-client"),
                r -> r.json().path("status").has("certificate"));
        JsonNode condition = issued.json().path("status").path("conditions").get(0);
        assertEquals("AutoApproved", condition.get("reason").asText());
        assertEquals(
                "Auto approving kubelet client certificate after SubjectAccessReview.",
                condition.get("message").asText());
    }

    @Test
    void validationErrorsAreUpstreams() {
        String request = Csr.create(KeyType.EC_P256.generate(), "x").pem();
        ApiClient.Response r = admin.post(CSRS, csr("nosigner", null, request, "", "client auth"));
        assertEquals(422, r.code());
        assertEquals(
                "CertificateSigningRequest.certificates.k8s.io \"nosigner\" is invalid: spec.signerName: Required value",
                r.message());
        r = admin.post(CSRS, csr("badpem", SignerNames.KUBE_APISERVER_CLIENT, "hello\n", "", "client auth"));
        assertEquals(422, r.code());
        assertEquals(
                "CertificateSigningRequest.certificates.k8s.io \"badpem\" is invalid: spec.request: Invalid value: "
                        + "\"aGVsbG8K\": PEM block type must be CERTIFICATE REQUEST",
                r.message());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
