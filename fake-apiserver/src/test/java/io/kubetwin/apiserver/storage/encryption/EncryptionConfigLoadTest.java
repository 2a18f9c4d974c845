package io.kubetwin.apiserver.storage.encryption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loading {@code --encryption-provider-config} files: every file under golden/encryption/invalid was given to the
 * v1.34.4 reference kube-apiserver, and {@code NAME.err} is the error it stopped with (the file's path replaced by
 * FILE); the files under golden/encryption/valid are ones it started with.
 */
class EncryptionConfigLoadTest {
    @TempDir
    Path dir;

    static Stream<String> invalid() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(golden("invalid"))) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".err"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    static Stream<String> valid() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(golden("valid"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void refusedWithTheReferencesMessage(String name) throws Exception {
        Path file = golden("invalid").resolve(name);
        String expected = Files.readString(golden("invalid").resolve(name + ".err"), StandardCharsets.UTF_8)
                .replace("\"FILE\"", "\"" + file + "\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncryptionConfig.load(file));
        assertEquals(expected, e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("valid")
    void acceptedAsByTheReference(String name) throws Exception {
        EncryptionConfig config = EncryptionConfig.load(golden("valid").resolve(name));
        assertTrue(config.configured());
        assertTrue(config.forResource("", "secrets") instanceof PrefixTransformers);
    }

    @Test
    void aMissingFileIsRefusedWithGosOpenError() {
        Path missing = dir.resolve("nonexistent.yaml");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncryptionConfig.load(missing));
        assertEquals(
                "error while parsing file: error while loading file: error reading encryption provider configuration"
                        + " file \"" + missing + "\": open " + missing + ": no such file or directory",
                e.getMessage());
    }

    @Test
    void kmsV2LoadsWithoutConnectingAndNamesThePluginInTheSummary() throws IOException {
        // the plugin is reached when the store starts the providers, not when the file is loaded
        Path file = write("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                  - resources: [secrets]
                    providers:
                      - kms: {apiVersion: v2, name: mykms, endpoint: unix:///tmp/kms.sock, timeout: 3s}
                """);
        EncryptionConfig config = EncryptionConfig.load(file);
        assertEquals(
                List.of("secrets: written with kms v2 (plugin mykms at unix:///tmp/kms.sock), read with kms v2 "
                        + "(plugin mykms at unix:///tmp/kms.sock)"),
                config.summary());
        // never started: writes fail as kube-apiserver's do before the plugin first answers
        StorageException e = assertThrows(
                StorageException.class,
                () -> config.forResource("", "secrets").toStorage(new byte[] {1}, "/registry/secrets/a/b"));
        assertEquals("got unexpected nil transformer", e.getMessage());
    }

    @Test
    void goBase64NeedsPaddingAndSkipsNewlines() {
        assertEquals(null, GoBase64.decode("YWJj ZA=="));
        assertEquals(null, GoBase64.decode("YWJjZA"));
        assertEquals("abcd", new String(GoBase64.decode("YWJj\r\nZA=="), StandardCharsets.US_ASCII));
    }

    @Test
    void withoutAFileEverythingIsStoredAsItIs() {
        EncryptionConfig none = EncryptionConfig.none();
        assertFalse(none.configured());
        assertTrue(none.forResource("", "secrets") == ValueTransformer.IDENTITY);
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, text);
        return file;
    }

    static Path golden(String sub) throws URISyntaxException {
        return Path.of(EncryptionConfigLoadTest.class
                .getResource("/golden/encryption/" + sub)
                .toURI());
    }
}
