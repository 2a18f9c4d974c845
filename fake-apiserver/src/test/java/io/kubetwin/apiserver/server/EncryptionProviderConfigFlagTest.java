package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --encryption-provider-config}: loaded when the flags are parsed (a bad file stops the start-up with
 * kube-apiserver's message), handed to the storage through {@link ApiServerConfig#encryption()}, and, with the
 * in-memory storage, announced at start-up as having no effect.
 */
class EncryptionProviderConfigFlagTest {
    private static final String CONFIG = """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets]
                providers:
                  - secretbox: {keys: [{name: key1, secret: 'YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY='}]}
                  - identity: {}
            """;

    @TempDir
    Path dir;

    @Test
    void theFlagLoadsTheFileForTheStorage() throws Exception {
        Path file = write(CONFIG);
        ApiServerConfig config = ApiServerConfig.fromArgs(List.of("--encryption-provider-config=" + file));
        assertTrue(config.encryption().configured());
        assertEquals(file, config.encryption().file());
        byte[] stored =
                config.encryption().forResource("", "secrets").toStorage(new byte[] {1}, "/registry/secrets/a/b");
        assertTrue(new String(stored, StandardCharsets.ISO_8859_1).startsWith("k8s:enc:secretbox:v1:key1:"));
        // kept by toBuilder, as every other flag
        assertEquals(config.encryption(), config.toBuilder().build().encryption());
    }

    @Test
    void withoutTheFlagNothingIsEncrypted() {
        assertFalse(ApiServerConfig.fromArgs(List.of()).encryption().configured());
        assertFalse(ApiServerConfig.builder().build().encryption().configured());
    }

    @Test
    void aBadFileIsRefusedWithKubeApiserversMessage() throws Exception {
        Path file = write(CONFIG.replace("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=", "c2VjcmV0IGlzIHNlY3VyZQ=="));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ApiServerConfig.fromArgs(List.of("--encryption-provider-config", file.toString())));
        assertEquals(
                "error while parsing file: resources[0].providers[0].secretbox.keys[0].secret: Invalid value:"
                        + " \"REDACTED\": secret is not of the expected length, got 16, expected one of [32]",
                e.getMessage());
    }

    /** EtcdOptions.Validate's message, recorded from the reference. */
    @Test
    void automaticReloadNeedsTheConfigFile() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ApiServerConfig.fromArgs(List.of("--encryption-provider-config-automatic-reload=true")));
        assertEquals(
                "--encryption-provider-config-automatic-reload must be set with --encryption-provider-config",
                e.getMessage());
    }

    @Test
    void automaticReloadIsTakenWithTheFile() throws Exception {
        Path file = write(CONFIG);
        ApiServerConfig c = ApiServerConfig.fromArgs(
                List.of("--encryption-provider-config=" + file, "--encryption-provider-config-automatic-reload"));
        assertTrue(c.encryption().automaticReload());
        assertFalse(ApiServerConfig.fromArgs(List.of("--encryption-provider-config=" + file))
                .encryption()
                .automaticReload());
    }

    @Test
    void theInMemoryStorageSaysTheConfigurationHasNoEffect() throws Exception {
        Path file = write(CONFIG);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel() == Level.WARNING) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger log = Logger.getLogger(FakeApiServer.class.getName());
        log.addHandler(handler);
        try (FakeApiServer server = FakeApiServer.startBlocking(
                ApiServerConfig.builder().encryptionProviderConfig(file).build())) {
            assertTrue(server.port() > 0);
        } finally {
            log.removeHandler(handler);
        }
        assertTrue(
                warnings.contains("--encryption-provider-config " + file
                        + " has no effect: the in-memory storage keeps no values at rest (use --etcd-servers or "
                        + "--data-dir)"),
                warnings.toString());
    }

    private Path write(String text) throws Exception {
        Path file = dir.resolve("encryption.yaml");
        Files.writeString(file, text);
        return file;
    }
}
