package io.kubetwin.apiserver.kubectl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.Kubectl;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real kubectl against the fake apiserver through the flows of the seed articles and the
 * issue: what kubectl prints must be what it prints against a real cluster.
 */
class KubectlTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer cluster =
            TestApiServer.builder().config(b -> b.certDir(dir.resolve("pki"))).build();

    static FakeApiServer server;
    static Kubectl kubectl;
    static Path admin;

    @BeforeAll
    static void findKubectl() throws Exception {
        kubectl = Kubectl.find(dir);
        if (!kubectl.available()) {
            // Each test is skipped with the reason (needsKubectl): an aborted @BeforeAll would leave them out of
            // Surefire's report, which does not print skip reasons either.
            System.err.println("KubectlTest: skipped, no kubectl: "
                    + kubectl.unavailableReason().orElseThrow());
        }
        server = cluster.server();
        admin = server.adminKubeconfigFile();
    }

    @BeforeEach
    void needsKubectl() {
        Assumptions.assumeTrue(
                kubectl.available(),
                () -> "no kubectl: " + kubectl.unavailableReason().orElseThrow());
    }

    private static Kubectl.Result ok(Path kubeconfig, String... args) {
        Kubectl.Result r = kubectl.run(kubeconfig, args);
        assertEquals(0, r.exitCode(), () -> "kubectl " + String.join(" ", args) + " failed: " + r);
        return r;
    }

    private static Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /**
     * A kubeconfig whose user has no certificate and no token. kubectl prompts for a password when a
     * user has no credentials at all, so it carries basic-auth fields, which kube-apiserver ignores
     * (no basic authenticator): the request arrives anonymous, as against a real cluster.
     */
    private static Path anonymousKubeconfig() throws IOException {
        return write(
                "anonymous.kubeconfig",
                Kubeconfig.builder()
                        .cluster("kubernetes", server.url(), server.clusterCa().certificatePem())
                        .context("anonymous", "kubernetes", "anonymous")
                        .currentContext("anonymous")
                        .build()
                        .toYaml()
                        .replace(
                                "users: null",
                                "users:\n- name: anonymous\n  user:\n    username: anonymous\n    password: none"));
    }

    @Test
    void configViewShowsTheEmbeddedDataFields() {
        Kubectl.Result r = ok(admin, "config", "view", "--minify");
        assertTrue(r.stdout().contains("certificate-authority-data: DATA+OMITTED"), r.stdout());
        assertTrue(r.stdout().contains("client-certificate-data: DATA+OMITTED"), r.stdout());
        assertTrue(r.stdout().contains("server: " + server.url()), r.stdout());
    }

    @Test
    void anonymousGetPodsIsForbiddenWithKubernetesMessage() throws IOException {
        // Anonymous may not read discovery (system:discovery is bound to system:authenticated only), so,
        // as against a real cluster, kubectl prints the seed's message when its discovery cache is warm.
        ok(admin, "get", "pods");
        Kubectl.Result r = kubectl.run(anonymousKubeconfig(), "get", "pods");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(
                "Error from server (Forbidden): pods is forbidden: User \"system:anonymous\" cannot list "
                        + "resource \"pods\" in API group \"\" in the namespace \"default\"\n",
                r.stderr());
    }

    @Test
    void podLifecycleWithCreateApplyAndDelete() throws IOException {
        ok(admin, "create", "namespace", "pods-flow");
        Path pod = write("pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                  namespace: pods-flow
                spec:
                  containers:
                  - name: web
                    image: nginx:1.25
                """);
        assertEquals(
                "pod/web created\n", ok(admin, "apply", "-f", pod.toString()).stdout());
        assertEquals(
                "pod/web unchanged\n", ok(admin, "apply", "-f", pod.toString()).stdout());
        Files.writeString(pod, Files.readString(pod).replace("nginx:1.25", "nginx:1.26"));
        assertEquals(
                "pod/web configured\n", ok(admin, "apply", "-f", pod.toString()).stdout());
        assertEquals(
                "nginx:1.26",
                ok(admin, "get", "pod", "web", "-n", "pods-flow", "-o", "jsonpath={.spec.containers[0].image}")
                        .stdout());
        Kubectl.Result dup = kubectl.run(admin, "create", "-f", pod.toString());
        assertEquals(1, dup.exitCode());
        assertEquals(
                "Error from server (AlreadyExists): error when creating \"" + pod + "\": pods \"web\" already exists\n",
                dup.stderr());
        assertEquals(
                "pod \"web\" deleted\n",
                ok(admin, "delete", "pod", "web", "-n", "pods-flow").stdout());
        Kubectl.Result gone = kubectl.run(admin, "get", "pod", "web", "-n", "pods-flow");
        assertEquals("Error from server (NotFound): pods \"web\" not found\n", gone.stderr());
    }

    @Test
    void seedUserCertificateWithPodReaderRoleAndReadPodsBinding() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        Path pki = dir.resolve("pki");
        Path work = Files.createDirectories(dir.resolve("mynewuser"));
        // exactly the first seed article's commands
        exec(work, "openssl", "genrsa", "-out", "mynewuser.key", "2048");
        exec(
                work,
                "openssl",
                "req",
                "-new",
                "-key",
                "mynewuser.key",
                "-out",
                "mynewuser.csr",
                "-subj",
                "/CN=mynewuser/O=company");
        exec(
                work,
                "openssl",
                "x509",
                "-req",
                "-in",
                "mynewuser.csr",
                "-CA",
                pki.resolve("ca.crt").toString(),
                "-CAkey",
                pki.resolve("ca.key").toString(),
                "-CAcreateserial",
                "-out",
                "mynewuser.crt",
                "-days",
                "500");
        Path kc = work.resolve("config");
        ok(
                kc,
                "config",
                "set-cluster",
                "kubernetes",
                "--server=" + server.url(),
                "--certificate-authority=" + pki.resolve("ca.crt"),
                "--embed-certs=true");
        ok(
                kc,
                "config",
                "set-credentials",
                "mynewuser",
                "--client-certificate=" + work.resolve("mynewuser.crt"),
                "--client-key=" + work.resolve("mynewuser.key"),
                "--embed-certs=true");
        ok(kc, "config", "set-context", "mynewuser@kubernetes", "--cluster=kubernetes", "--user=mynewuser");
        ok(kc, "config", "use-context", "mynewuser@kubernetes");

        ok(admin, "create", "namespace", "target-namespace");
        Path role = write("pod-reader.yaml", """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata:
                  namespace: target-namespace
                  name: pod-reader
                rules:
                - apiGroups: [""]
                  resources: ["pods"]
                  verbs: ["get", "watch", "list"]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata:
                  name: read-pods
                  namespace: target-namespace
                subjects:
                - kind: User
                  name: mynewuser
                  apiGroup: rbac.authorization.k8s.io
                roleRef:
                  kind: Role
                  name: pod-reader
                  apiGroup: rbac.authorization.k8s.io
                """);
        assertEquals(
                "role.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/read-pods created\n",
                ok(admin, "apply", "-f", role.toString()).stdout());
        Kubectl.Result allowed = ok(kc, "get", "pods", "-n", "target-namespace");
        assertEquals("No resources found in target-namespace namespace.\n", allowed.stderr());
        Kubectl.Result denied = kubectl.run(kc, "get", "pods", "-n", "default");
        assertEquals(
                "Error from server (Forbidden): pods is forbidden: User \"mynewuser\" cannot list resource "
                        + "\"pods\" in API group \"\" in the namespace \"default\"\n",
                denied.stderr());
        Kubectl.Result secrets = kubectl.run(kc, "get", "secrets", "-n", "target-namespace");
        assertEquals(
                "Error from server (Forbidden): secrets is forbidden: User \"mynewuser\" cannot list resource "
                        + "\"secrets\" in API group \"\" in the namespace \"target-namespace\"\n",
                secrets.stderr());
    }

    @Test
    void podReaderClusterRoleFromTheSeed() {
        assertEquals(
                "clusterrole.rbac.authorization.k8s.io/pod-reader created\n",
                ok(admin, "create", "clusterrole", "pod-reader", "--verb=get,watch,list", "--resource=pods")
                        .stdout());
        ok(admin, "create", "clusterrolebinding", "read-pods-global", "--clusterrole=pod-reader", "--user=auditor");
        assertEquals(
                "No resources found in kube-system namespace.\n",
                ok(admin, "get", "pods", "-n", "kube-system", "--as", "auditor").stderr());
        Kubectl.Result denied = kubectl.run(admin, "delete", "pod", "x", "-n", "kube-system", "--as", "auditor");
        assertEquals(
                "Error from server (Forbidden): pods \"x\" is forbidden: User \"auditor\" cannot delete resource "
                        + "\"pods\" in API group \"\" in the namespace \"kube-system\"\n",
                denied.stderr());
    }

    @Test
    void dockerRegistrySecret() {
        ok(admin, "create", "namespace", "registry");
        assertEquals(
                "secret/regcred created\n",
                ok(
                                admin,
                                "create",
                                "secret",
                                "docker-registry",
                                "regcred",
                                "-n",
                                "registry",
                                "--docker-server=registry.example.com",
                                "--docker-username=dev",
                                "--docker-password=s3cr3t",
                                "--docker-email=dev@example.com")
                        .stdout());
        assertEquals(
                "kubernetes.io/dockerconfigjson",
                ok(admin, "get", "secret", "regcred", "-n", "registry", "-o", "jsonpath={.type}")
                        .stdout());
    }

    @Test
    void escalationIsPreventedForRoleCreation() {
        ok(admin, "create", "namespace", "escalation");
        ok(
                admin,
                "create",
                "role",
                "creator",
                "-n",
                "escalation",
                "--verb=create",
                "--resource=roles.rbac.authorization.k8s.io");
        ok(admin, "create", "rolebinding", "creator", "-n", "escalation", "--role=creator", "--user=eve");
        Kubectl.Result r = kubectl.run(
                admin,
                "create",
                "role",
                "too-much",
                "-n",
                "escalation",
                "--verb=get",
                "--resource=secrets",
                "--as",
                "eve");
        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(
                "Error from server (Forbidden): roles.rbac.authorization.k8s.io \"too-much\" is forbidden: user \"eve\" "
                        + "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
                        + "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\"]}\n",
                r.stderr());
    }

    @Test
    void authWhoamiAndCanI() {
        Kubectl.Result whoami = ok(admin, "auth", "whoami");
        assertTrue(whoami.stdout().startsWith("ATTRIBUTE"), whoami.stdout());
        assertTrue(
                whoami.stdout().contains("Username                                            kubernetes-admin\n"),
                whoami.stdout());
        assertTrue(
                whoami.stdout()
                        .contains(
                                "Groups                                              [system:masters system:authenticated]\n"),
                whoami.stdout());
        assertTrue(ok(admin, "auth", "whoami", "--as", "bob").stdout().matches("(?s).*\\nUsername +bob\n.*"));
        assertEquals("yes\n", ok(admin, "auth", "can-i", "list", "pods").stdout());
        Kubectl.Result no = kubectl.run(admin, "auth", "can-i", "list", "pods", "--as", "bob");
        assertEquals(1, no.exitCode());
        assertEquals("no\n", no.stdout());
        assertEquals(
                """
                Resources                                       Non-Resource URLs   Resource Names   Verbs
                selfsubjectreviews.authentication.k8s.io        []                  []               [create]
                selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]
                selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]
                """,
                String.join(
                                "\n",
                                ok(admin, "auth", "can-i", "--list", "--as", "bob")
                                        .stdout()
                                        .lines()
                                        .limit(4)
                                        .toList())
                        + "\n");
    }

    @Test
    void createTokenAuthenticatesUntilTheAccountIsDeleted() throws IOException {
        ok(admin, "create", "namespace", "tokens");
        ok(admin, "create", "serviceaccount", "builder", "-n", "tokens");
        String token =
                ok(admin, "create", "token", "builder", "-n", "tokens").stdout().strip();
        Path kc = write("builder.kubeconfig", server.kubeconfigForToken("builder", token));
        Kubectl.Result whoami = ok(kc, "auth", "whoami");
        assertTrue(
                whoami.stdout()
                        .contains(
                                "Username                                            system:serviceaccount:tokens:builder\n"),
                whoami.stdout());
        assertTrue(
                whoami.stdout().contains("[system:serviceaccounts system:serviceaccounts:tokens system:authenticated]"),
                whoami.stdout());
        ok(admin, "delete", "serviceaccount", "builder", "-n", "tokens");
        Kubectl.Result refused = kubectl.run(kc, "auth", "whoami");
        assertEquals(1, refused.exitCode());
        assertEquals("error: You must be logged in to the server (Unauthorized)\n", refused.stderr());
    }

    @Test
    void userProvisionedThroughTheCertificateSigningRequestApi() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "no openssl");
        Path work = Files.createDirectories(dir.resolve("csr-user"));
        exec(work, "openssl", "genrsa", "-out", "jane.key", "2048");
        exec(work, "openssl", "req", "-new", "-key", "jane.key", "-out", "jane.csr", "-subj", "/CN=jane/O=company");
        String request = Base64.getEncoder().encodeToString(Files.readAllBytes(work.resolve("jane.csr")));
        Path csr = write("jane-csr.yaml", """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata:
                  name: jane
                spec:
                  request: %s
                  signerName: kubernetes.io/kube-apiserver-client
                  expirationSeconds: 86400
                  usages: ["client auth"]
                """.formatted(request));
        assertEquals(
                "certificatesigningrequest.certificates.k8s.io/jane created\n",
                ok(admin, "apply", "-f", csr.toString()).stdout());
        assertEquals(
                "certificatesigningrequest.certificates.k8s.io/jane approved\n",
                ok(admin, "certificate", "approve", "jane").stdout());
        String issued = "";
        for (int i = 0; i < 50 && issued.isEmpty(); i++) {
            issued = ok(admin, "get", "csr", "jane", "-o", "jsonpath={.status.certificate}")
                    .stdout();
            if (issued.isEmpty()) {
                Thread.sleep(100);
            }
        }
        Files.write(work.resolve("jane.crt"), Base64.getDecoder().decode(issued));
        Path kc = work.resolve("config");
        ok(
                kc,
                "config",
                "set-cluster",
                "kubernetes",
                "--server=" + server.url(),
                "--certificate-authority=" + dir.resolve("pki").resolve("ca.crt"),
                "--embed-certs=true");
        ok(
                kc,
                "config",
                "set-credentials",
                "jane",
                "--client-certificate=" + work.resolve("jane.crt"),
                "--client-key=" + work.resolve("jane.key"),
                "--embed-certs=true");
        ok(kc, "config", "set-context", "jane", "--cluster=kubernetes", "--user=jane");
        ok(kc, "config", "use-context", "jane");
        Kubectl.Result whoami = ok(kc, "auth", "whoami");
        assertTrue(whoami.stdout().matches("(?s).*\\nUsername +jane\n.*"), whoami.stdout());
        assertTrue(whoami.stdout().contains("[company system:authenticated]"), whoami.stdout());
    }

    private static void exec(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command))
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ": " + out);
    }
}
