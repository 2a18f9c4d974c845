package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import io.kubetwin.reference.Etcdctl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation without a restart, as the Kubernetes documentation describes it and the reference v1.34.4 did it when
 * recorded by hand (aescbc key1, then key2 first in the file, reload within a minute, then `kubectl get secrets -A -o
 * json | kubectl replace -f -`: every Secret's value prefixed {@code k8s:enc:aescbc:v1:key2:}, a Secret already
 * written with key2 left as it was): the fake with {@code --encryption-provider-config-automatic-reload} on a real
 * etcd v3.6.4, the raw values read with etcdctl, the real kubectl. A file that does not load keeps the old
 * configuration. Skipped without the reference etcd, etcdctl or kubectl.
 */
class KeyRotationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY1 =
            Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String KEY2 =
            Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    @TempDir
    Path dir;

    @Test
    void aChangedFileRotatesTheWriteKeyAndReplaceReencryptsEverySecret() throws Exception {
        assumeTrue(
                Etcdctl.locate().reason() == null,
                () -> "no etcdctl: " + Etcdctl.locate().reason());
        Kubectl kubectl = Kubectl.find(dir);
        assumeTrue(
                kubectl.available(),
                () -> "no kubectl: " + kubectl.unavailableReason().orElseThrow());
        Path file = dir.resolve("encryption.yaml");
        Files.writeString(file, config("key1", KEY1));
        try (EtcdTargets.SharedEtcd etcd = EtcdTargets.SharedEtcd.startOrSkip(dir);
                TestApiServer fake = TestApiServer.start(etcd.fake("/registry")
                        .certDir(dir.resolve("pki"))
                        .encryption(EncryptionConfig.load(file).withAutomaticReload(Duration.ofMillis(200)))
                        .build())) {
            Etcdctl ctl = etcd.etcdctl();
            ApiClient f = fake.admin();
            createSecret(f, "s1");
            assertEquals("k8s:enc:aescbc:v1:key1:", prefix(ctl, "s1"));

            // a file that does not load is logged and the configuration in force stays
            Files.writeString(
                    file,
                    "kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources:"
                            + " [{resources: [secrets], providers: [{aescbc: {keys: [{name: k, secret: short}]}}]}]\n");
            Thread.sleep(600); // three polls of the file
            createSecret(f, "s2");
            assertEquals("k8s:enc:aescbc:v1:key1:", prefix(ctl, "s2"));

            Files.writeString(file, config("key2", KEY2, "key1", KEY1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int probes = 0;
            String probe;
            do {
                assertTrue(System.nanoTime() - deadline < 0, "the new file was not loaded");
                Thread.sleep(200);
                probe = "probe" + probes++;
                createSecret(f, probe);
            } while (!prefix(ctl, probe).equals("k8s:enc:aescbc:v1:key2:"));
            long s1Version = version(ctl, "s1");
            assertEquals("k8s:enc:aescbc:v1:key1:", prefix(ctl, "s1"));

            Path kubeconfig = fake.server().adminKubeconfigFile();
            Kubectl.Result all = kubectl.run(kubeconfig, "get", "secrets", "-A", "-o", "json");
            assertEquals(0, all.exitCode(), all::toString);
            Kubectl.Result replaced = kubectl.runWithInput(kubeconfig, all.stdout(), "replace", "-f", "-");
            assertEquals(0, replaced.exitCode(), replaced::toString);
            assertTrue(replaced.stdout().contains("secret/s1 replaced"), replaced.stdout());

            for (String name : new String[] {"s1", "s2", probe}) {
                assertEquals("k8s:enc:aescbc:v1:key2:", prefix(ctl, name), name);
            }
            assertEquals(s1Version + 1, version(ctl, "s1"));
            // a value already written with the first key is not written again (no-op update)
            assertEquals(1, version(ctl, probe));
            assertEquals(
                    "v",
                    new String(
                            Base64.getDecoder()
                                    .decode(f.get("/api/v1/namespaces/default/secrets/s1")
                                            .json()
                                            .path("data")
                                            .path("k")
                                            .asText()),
                            StandardCharsets.UTF_8));
            assertEquals("ok", f.get("/healthz/kms-providers").body());
            assertTrue(f.get("/healthz?verbose")
                    .body()
                    .contains("[+]poststarthook/start-encryption-provider-config-automatic-reload ok\n"));
        }
    }

    /** Secrets encrypted with aescbc under the given keys (name, secret, ...), the first one writing. */
    private static String config(String... keys) {
        StringBuilder b = new StringBuilder("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n"
                + "resources:\n- resources: [secrets]\n  providers:\n  - aescbc:\n      keys:\n");
        for (int i = 0; i < keys.length; i += 2) {
            b.append("      - name: ")
                    .append(keys[i])
                    .append("\n        secret: ")
                    .append(keys[i + 1])
                    .append('\n');
        }
        return b.append("  - identity: {}\n").toString();
    }

    private static void createSecret(ApiClient client, String name) {
        ApiClient.Response r = client.post(
                "/api/v1/namespaces/default/secrets",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"k\":\"dg==\"}}");
        assertEquals(201, r.code(), r.body());
    }

    private static JsonNode kv(Etcdctl ctl, String secret) throws Exception {
        return JSON.readTree(ctl.run(null, "get", "/registry/secrets/default/" + secret, "-w", "json"))
                .path("kvs")
                .get(0);
    }

    private static String prefix(Etcdctl ctl, String secret) throws Exception {
        byte[] value = Base64.getDecoder().decode(kv(ctl, secret).path("value").asText());
        return new String(value, 0, Math.min(value.length, 23), StandardCharsets.ISO_8859_1);
    }

    private static long version(Etcdctl ctl, String secret) throws Exception {
        return kv(ctl, secret).path("version").asLong();
    }
}
