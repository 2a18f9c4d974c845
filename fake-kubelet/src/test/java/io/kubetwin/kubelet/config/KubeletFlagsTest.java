package io.kubetwin.kubelet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubeletFlagsTest {
    @TempDir
    Path dir;

    @Test
    void withoutConfigTheLegacyCommandLineDefaultsApply() {
        KubeletConfig c = KubeletFlags.parse(List.of());
        assertEquals("0.0.0.0", c.address());
        assertEquals(10250, c.port());
        assertEquals(10255, c.readOnlyPort());
        assertTrue(c.anonymousEnabled());
        assertFalse(c.webhookAuthnEnabled());
        assertEquals(AuthorizationMode.ALWAYS_ALLOW, c.authorizationMode());
        assertTrue(c.fineGrainedAuthz(), "KubeletFineGrainedAuthz is beta and on by default since 1.33");
        assertEquals(Duration.ofMinutes(2), c.webhookAuthnCacheTtl());
        assertEquals(Duration.ofMinutes(5), c.webhookAuthorizedTtl());
        assertEquals(Duration.ofSeconds(30), c.webhookUnauthorizedTtl());
        assertNull(c.kubeconfig());
    }

    @Test
    void theWebhookFlagsAndTheirCacheTtls() throws Exception {
        Path file = dir.resolve("ttl.yaml");
        Files.writeString(file, """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                authentication:
                  webhook:
                    cacheTTL: 10s
                authorization:
                  webhook:
                    cacheAuthorizedTTL: 1m
                    cacheUnauthorizedTTL: 0s
                """);
        KubeletConfig fromFile = KubeletFlags.parse(List.of("--config", file.toString()));
        assertEquals(Duration.ofSeconds(10), fromFile.webhookAuthnCacheTtl());
        assertEquals(Duration.ofMinutes(1), fromFile.webhookAuthorizedTtl());
        assertEquals(Duration.ZERO, fromFile.webhookUnauthorizedTtl());
        KubeletConfig flags = KubeletFlags.parse(List.of(
                "--config=" + file,
                "--kubeconfig=/etc/kubernetes/kubelet.conf",
                "--authentication-token-webhook-cache-ttl=1h30m",
                "--authorization-webhook-cache-authorized-ttl=2s",
                "--authorization-webhook-cache-unauthorized-ttl=500ms"));
        assertEquals(Path.of("/etc/kubernetes/kubelet.conf"), flags.kubeconfig());
        assertEquals(Duration.ofMinutes(90), flags.webhookAuthnCacheTtl());
        assertEquals(Duration.ofSeconds(2), flags.webhookAuthorizedTtl());
        assertEquals(Duration.ofMillis(500), flags.webhookUnauthorizedTtl());
    }

    @Test
    void aConfigFileStartsFromTheV1beta1DefaultsAndFlagsOverrideIt() throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                authentication:
                  x509:
                    clientCAFile: pki/ca.crt
                featureGates:
                  KubeletFineGrainedAuthz: false
                staticPodPath: /etc/kubernetes/manifests
                """);
        KubeletConfig fromFile = KubeletFlags.parse(List.of("--config", file.toString()));
        assertEquals(0, fromFile.readOnlyPort());
        assertFalse(fromFile.anonymousEnabled());
        assertTrue(fromFile.webhookAuthnEnabled());
        assertEquals(AuthorizationMode.WEBHOOK, fromFile.authorizationMode());
        assertEquals(dir.resolve("pki/ca.crt"), fromFile.clientCaFile(), "relative to the file's directory");
        assertFalse(fromFile.fineGrainedAuthz());

        KubeletConfig overridden = KubeletFlags.parse(List.of(
                "--config=" + file,
                "--anonymous-auth",
                "--authorization-mode=AlwaysAllow",
                "--read-only-port=10255",
                "--feature-gates=KubeletFineGrainedAuthz=true",
                "--hostname-override=Node-A"));
        assertTrue(overridden.anonymousEnabled());
        assertEquals(AuthorizationMode.ALWAYS_ALLOW, overridden.authorizationMode());
        assertEquals(10255, overridden.readOnlyPort());
        assertTrue(overridden.fineGrainedAuthz());
        assertEquals("node-a", overridden.nodeName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --no-such-flag=1                     | unknown flag: --no-such-flag
            --bootstrap-kubeconfig=/etc/b.conf   | flag --bootstrap-kubeconfig is a kubelet flag that this fake kubelet does not implement; refusing to start rather than ignore it
            --authorization-webhook-cache-authorized-ttl=5 | invalid argument "5" for "--authorization-webhook-cache-authorized-ttl" flag: time: missing unit in duration "5"
            --authorization-mode=RBAC            | unknown authorization mode RBAC
            --feature-gates=NoSuchGate=true      | unrecognized feature gate: NoSuchGate
            --anonymous-auth=maybe               | invalid value "maybe" for --anonymous-auth: strconv.ParseBool: parsing "maybe": invalid syntax
            """)
    void refused(String flag, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> KubeletFlags.parse(List.of(flag)))
                        .getMessage());
    }

    @Test
    void aFileOfAnotherKindIsRefused() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "apiVersion: v1\nkind: Pod\n");
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> KubeletFlags.parse(List.of("--config", file.toString())))
                .getMessage()
                .startsWith("failed to decode KubeletConfiguration"));
    }

    /** InitializeTLS's checks and messages; the HTTP/2 set-up's refusal, which stops a real kubelet too. */
    @Test
    void tlsFlagsAndConfigFields() throws Exception {
        assertEquals(
                "Cipher suite FOO not supported or doesn't exist",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> KubeletFlags.parse(List.of("--tls-cipher-suites=FOO")))
                        .getMessage());
        assertEquals(
                "unknown tls version \"VersionTLS99\"",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> KubeletFlags.parse(List.of("--tls-min-version=VersionTLS99")))
                        .getMessage());
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> KubeletFlags.parse(List.of("--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")))
                .getMessage()
                .startsWith("http2: TLSConfig.CipherSuites is missing an HTTP/2-required AES_128_GCM_SHA256 cipher"));
        Path file = dir.resolve("tls.yaml");
        Files.writeString(file, """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                tlsMinVersion: VersionTLS13
                tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
                """);
        KubeletConfig c = KubeletFlags.parse(List.of("--config=" + file));
        assertEquals("VersionTLS13", c.tls().minVersion());
        assertEquals(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), c.tls().cipherSuites());
        assertEquals(
                "VersionTLS12",
                KubeletFlags.parse(List.of("--config=" + file, "--tls-min-version=VersionTLS12"))
                        .tls()
                        .minVersion());
    }
}
