package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * etcd's flags: defaults and refusals with etcd v3.6.4's texts and exit codes. Each refusal is also run
 * against the reference etcd binary when {@code KUBETWIN_REFERENCE_BIN} is set, so the table is checked
 * against etcd itself.
 */
class FlagsTest {
    @TempDir
    Path dir;

    @Test
    void etcdsDefaults() {
        EtcdFlags flags = EtcdFlags.parse();
        EtcdConfig c = flags.toConfig(new ZapLog(new PrintStream(new ByteArrayOutputStream())));
        assertEquals("default", c.name());
        assertEquals(Path.of("default.etcd"), c.dataDir());
        assertEquals(List.of(URI.create("http://localhost:2379")), c.listenClientUrls());
        assertEquals(List.of(URI.create("http://localhost:2379")), c.advertiseClientUrls());
        assertEquals(List.of(URI.create("http://localhost:2380")), c.listenPeerUrls());
        assertEquals(1536 * 1024, c.storeOptions().maxRequestBytes());
        assertEquals(0, c.storeOptions().quotaBackendBytes());
        assertEquals(128, c.storeOptions().maxTxnOps());
        assertEquals("etcd-cluster", c.initialClusterToken());
        assertEquals(
                Path.of("x.etcd"),
                EtcdFlags.parse("-name", "x").toConfig(quiet()).dataDir());
        assertTrue(EtcdFlags.parse("--client-cert-auth")
                .toConfig(quiet())
                .clientTls()
                .clientCertAuth());
        assertTrue(!EtcdFlags.parse("--client-cert-auth=false")
                .toConfig(quiet())
                .clientTls()
                .clientCertAuth());
    }

    @Test
    void versionAndHelpAsEtcdPrintsThem() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"--version"}, new PrintStream(out, true), System.err));
        assertTrue(out.toString().startsWith("etcd Version: 3.6.4\nGit SHA: "), out.toString());
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"-h"}, new PrintStream(help, true), System.err));
        assertTrue(help.toString().startsWith("Usage:\n\n  etcd [flags]\n"), help.toString());
    }

    private static ZapLog quiet() {
        return new ZapLog(new PrintStream(new ByteArrayOutputStream()));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(List.of("--foo"), 2, "flag provided but not defined: -foo"),
                Arguments.of(
                        List.of("--max-request-bytes", "abc"),
                        2,
                        "invalid value \"abc\" for flag -max-request-bytes: parse error"),
                Arguments.of(
                        List.of("--listen-client-urls", "http://127.0.0.1:23999"),
                        1,
                        "\"msg\":\"failed to verify flags\",\"error\":\"--advertise-client-urls is required when --listen-client-urls is set explicitly\""),
                Arguments.of(
                        List.of(
                                "--listen-client-urls",
                                "http://example.com:23999",
                                "--advertise-client-urls",
                                "http://127.0.0.1:1"),
                        1,
                        "\"error\":\"expected IP in URL for binding (http://example.com:23999)\""),
                Arguments.of(
                        List.of(
                                "--listen-client-urls",
                                "https://127.0.0.1:23999",
                                "--advertise-client-urls",
                                "https://127.0.0.1:23999"),
                        1,
                        "\"msg\":\"discovery failed\",\"error\":\"TLS key/cert (--cert-file, --key-file) must be provided for client url https://127.0.0.1:23999 with HTTPS scheme\""),
                Arguments.of(
                        List.of("--listen-peer-urls", "https://127.0.0.1:23998"),
                        1,
                        "\"msg\":\"discovery failed\",\"error\":\"cannot listen on TLS for 127.0.0.1:23998: KeyFile and CertFile are not presented\""));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusedAsEtcdRefusesThem(List<String> args, int exitCode, String text) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--data-dir", dir.resolve("data").toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                all.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(exitCode, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(text), err.toString(StandardCharsets.UTF_8));

        String bin = System.getenv("KUBETWIN_REFERENCE_BIN");
        if (bin != null && Files.isExecutable(Path.of(bin, "etcd"))) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(bin, "etcd").toString()));
            cmd.addAll(args);
            cmd.addAll(List.of("--data-dir", dir.resolve("real").toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(exitCode, p.exitValue(), out);
            assertTrue(out.contains(text.replace("\"msg\":\"discovery failed\",", "")), out);
        }
    }
}
