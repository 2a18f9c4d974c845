package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiServerFlagsTest {

    @Test
    void defaultsAreKubeApiserverDefaults() {
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of());
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(6443, c.securePort());
        assertEquals(true, c.anonymousAuth());
        assertEquals(List.of("AlwaysAllow"), c.authorizationModes());
        assertEquals(Path.of("/var/run/kubernetes"), c.certDir());
        assertEquals(List.of("https://kubernetes.default.svc.cluster.local"), c.serviceAccountIssuers());
    }

    @Test
    void flagsTakeBothEqualsAndSpaceForms() {
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of(
                "--secure-port",
                "0",
                "--bind-address=127.0.0.1",
                "--anonymous-auth=false",
                "--authorization-mode=RBAC,AlwaysDeny",
                "--service-account-issuer=https://a",
                "--service-account-issuer",
                "https://b",
                "--token-auth-file=/tmp/t.csv"));
        assertEquals(0, c.securePort());
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(false, c.anonymousAuth());
        assertEquals(List.of("RBAC", "AlwaysDeny"), c.authorizationModes());
        assertEquals(List.of("https://a", "https://b"), c.serviceAccountIssuers());
        assertEquals(Path.of("/tmp/t.csv"), c.tokenAuthFile());
    }

    @Test
    void allowPrivilegedTrueIsAcceptedAsWhatTheFakeDoes() {
        ApiServerConfig.fromArgs(List.of("--allow-privileged=true"));
        ApiServerConfig.fromArgs(List.of("--allow-privileged"));
    }

    @Test
    void theNodeModeAndNodeRestrictionAreAccepted() {
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of(
                "--authorization-mode=Node,RBAC", "--enable-admission-plugins=NodeRestriction,NamespaceLifecycle"));
        assertEquals(List.of("Node", "RBAC"), c.authorizationModes());
        assertEquals(List.of("NodeRestriction", "NamespaceLifecycle"), c.enableAdmissionPlugins());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--etcd-servers=http://127.0.0.1:2379 | flag --etcd-servers is a kube-apiserver flag that this fake apiserver does not implement; refusing to start rather than ignore it",
                "--disable-admission-plugins=ServiceAccount,Bar | disable-admission-plugins plugin \"Bar\" is unknown",
                "--enable-admission-plugins=NodeRestriction,Foo,Foo | enable-admission-plugins plugin \"Foo\" is unknown",
                "--enable-admission-plugins=Priority,PodSecurity --disable-admission-plugins=PodSecurity,Priority | [PodSecurity Priority] in enable-admission-plugins and disable-admission-plugins overlapped",
                "--no-such-flag | unknown flag: --no-such-flag",
                "--authorization-mode=Magic | authorization-mode \"Magic\" is not a valid mode",
                "--authorization-mode=Node,Webhook | --authorization-mode Webhook is a kube-apiserver mode that this fake apiserver does not implement yet",
                "--allow-privileged=false | --allow-privileged=false is not emulated: this fake apiserver always allows privileged containers, as kube-apiserver does with --allow-privileged=true",
            })
    void unimplementedOrUnknownFlagsAreRefused(String flag, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(List.of(flag.split(" "))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void portOutOfRangeIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(List.of("--secure-port=70000")));
        assertEquals("--secure-port 70000 must be between 0 and 65535, inclusive", e.getMessage());
    }
}
