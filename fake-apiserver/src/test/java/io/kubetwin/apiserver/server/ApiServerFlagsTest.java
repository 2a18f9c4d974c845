package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void kubeletClientFlagsHaveKubeApiserversNamesAndDefaults() {
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of(
                "--kubelet-client-certificate=kc.crt",
                "--kubelet-client-key",
                "kc.key",
                "--kubelet-certificate-authority=ca.crt",
                "--kubelet-preferred-address-types=InternalIP,Hostname"));
        assertEquals(Path.of("kc.crt"), c.kubeletClient().clientCertificate());
        assertEquals(Path.of("kc.key"), c.kubeletClient().clientKey());
        assertEquals(Path.of("ca.crt"), c.kubeletClient().certificateAuthority());
        assertEquals(List.of("InternalIP", "Hostname"), c.kubeletClient().preferredAddressTypes());
        assertEquals(
                List.of("Hostname", "InternalDNS", "InternalIP", "ExternalDNS", "ExternalIP"),
                ApiServerConfig.fromArgs(List.of()).kubeletClient().preferredAddressTypes());
    }

    @Test
    void kubeletTimeoutIsParsedAsAGoDurationAndOtherwiseIgnoredAsUpstream() {
        ApiServerConfig.fromArgs(List.of("--kubelet-timeout=10s"));
        assertEquals(
                "invalid argument \"soon\" for \"--kubelet-timeout\" flag: time: invalid duration \"soon\"",
                org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalArgumentException.class,
                                () -> ApiServerConfig.fromArgs(List.of("--kubelet-timeout=soon")))
                        .getMessage());
    }

    @Test
    void allowPrivilegedIsFalseUnlessGivenAsKubeApiserver() {
        assertEquals(false, ApiServerConfig.fromArgs(List.of()).allowPrivileged());
        assertEquals(
                false,
                ApiServerConfig.fromArgs(List.of("--allow-privileged=false")).allowPrivileged());
        assertEquals(
                true,
                ApiServerConfig.fromArgs(List.of("--allow-privileged=true")).allowPrivileged());
        assertEquals(
                true, ApiServerConfig.fromArgs(List.of("--allow-privileged")).allowPrivileged());
        assertEquals(false, ApiServerConfig.builder().build().allowPrivileged());
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
                "--etcd-healthcheck-timeout=5s | flag --etcd-healthcheck-timeout is a kube-apiserver flag that this fake apiserver does not implement; refusing to start rather than ignore it",
                "--etcd-compaction-interval=abc | invalid argument \"abc\" for \"--etcd-compaction-interval\" flag: time: invalid duration \"abc\"",
                "--event-ttl=5 | invalid argument \"5\" for \"--event-ttl\" flag: time: missing unit in duration \"5\"",
                "--lease-reuse-duration-seconds=x | invalid argument \"x\" for \"--lease-reuse-duration-seconds\" flag: strconv.ParseInt: parsing \"x\": invalid syntax",
                "--storage-media-type=application/json | flag --storage-media-type is a kube-apiserver flag that this fake apiserver does not implement; refusing to start rather than ignore it",
                "--etcd-certfile=/c.crt | --etcd-cafile, --etcd-certfile and --etcd-keyfile need --etcd-servers",
                "--disable-admission-plugins=ServiceAccount,Bar | disable-admission-plugins plugin \"Bar\" is unknown",
                "--enable-admission-plugins=NodeRestriction,Foo,Foo | enable-admission-plugins plugin \"Foo\" is unknown",
                "--enable-admission-plugins=Priority,PodSecurity --disable-admission-plugins=PodSecurity,Priority | [PodSecurity Priority] in enable-admission-plugins and disable-admission-plugins overlapped",
                "--no-such-flag | unknown flag: --no-such-flag",
                "--authorization-mode=Magic | authorization-mode \"Magic\" is not a valid mode",
                "--authorization-mode=Node,Webhook | --authorization-mode Webhook is a kube-apiserver mode that this fake apiserver does not implement yet",
            })
    void unimplementedOrUnknownFlagsAreRefused(String flag, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(List.of(flag.split(" "))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void theEtcdFlagsSelectAnEtcdStore() {
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of(
                "--etcd-servers=https://127.0.0.1:2379,https://127.0.0.1:22379",
                "--etcd-cafile=/pki/etcd/ca.crt",
                "--etcd-certfile=/pki/apiserver-etcd-client.crt",
                "--etcd-keyfile=/pki/apiserver-etcd-client.key",
                "--etcd-prefix=/kubetwin"));
        assertEquals(
                List.of(java.net.URI.create("https://127.0.0.1:2379"), java.net.URI.create("https://127.0.0.1:22379")),
                c.storage().etcd().servers());
        assertEquals(Path.of("/pki/etcd/ca.crt"), c.storage().etcd().caFile());
        assertEquals(
                Path.of("/pki/apiserver-etcd-client.key"), c.storage().etcd().keyFile());
        assertEquals("/kubetwin", c.storage().prefix());
        assertEquals(null, c.storage().dataDir());
    }

    @Test
    void objectsStayInMemoryUnlessAStoreIsNamed() {
        assertTrue(ApiServerConfig.fromArgs(List.of()).storage().inMemoryOnly());
        ApiServerConfig c = ApiServerConfig.fromArgs(List.of("--data-dir=/var/lib/kubetwin"));
        assertEquals(Path.of("/var/lib/kubetwin"), c.storage().dataDir());
        assertEquals("/registry", c.storage().prefix());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--etcd-servers=http://127.0.0.1:2379 --data-dir=/d | --data-dir (an embedded store) and --etcd-servers (an external one) are mutually exclusive",
                "--etcd-servers=http://127.0.0.1:2379,https://127.0.0.1:2380 | --etcd-servers: mixing http and https servers is not supported",
                "--etcd-servers=127.0.0.1:2379 | --etcd-servers: 127.0.0.1:2379 is not an http:// or https:// URL",
                "--etcd-servers=https://127.0.0.1:2379 --etcd-certfile=/c.crt | --etcd-certfile and --etcd-keyfile must be given together",
            })
    void inconsistentStoreFlagsAreRefused(String flags, String message) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(List.of(flags.split(" "))));
        assertEquals(message, e.getMessage());
    }

    @Test
    void portOutOfRangeIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ApiServerConfig.fromArgs(List.of("--secure-port=70000")));
        assertEquals("--secure-port 70000 must be between 0 and 65535, inclusive", e.getMessage());
    }
}
