package io.kubetwin.etcd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.RangeRequest;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference kube-apiserver v1.34.4 with {@code --etcd-servers} on the fake etcd, over TLS with a client
 * certificate the fake requires: it starts, becomes ready, and serves a ConfigMap's create, get, list and watch,
 * with the object stored under /registry in kube-apiserver's protobuf encoding. Skips without
 * the reference build.
 */
class KubeApiServerOnFakeEtcdTest {
    @TempDir
    Path dir;

    @Test
    void theRealApiserverRunsOnTheFakeEtcd() throws Exception {
        ReferenceBinaries.Located reference = ReferenceBinaries.locate();
        assumeTrue(reference.binaries() != null, reference.reason());
        TestCerts etcdPki = TestCerts.create(Files.createDirectories(dir.resolve("etcd-pki")));
        ZapLog quiet = new ZapLog(new PrintStream(new ByteArrayOutputStream()));
        try (FakeEtcd etcd = FakeEtcd.start(
                EtcdConfig.inMemory(
                        URI.create("https://127.0.0.1:0"),
                        URI.create("https://127.0.0.1:0"),
                        etcdPki.serverTls(true),
                        etcdPki.serverTls(true)),
                quiet)) {
            try (KubeApiServerProcess apiserver = KubeApiServerProcess.builder(
                            reference.binaries().apiServer(), dir.resolve("reference"))
                    .etcd(
                            etcd.clientUrls().get(0).toString(),
                            new KubeApiServerProcess.EtcdClientTls(
                                    etcdPki.ca(), etcdPki.clientCrt(), etcdPki.clientKey()))
                    .start()) {
                ApiClient client = apiserver.admin();

                String list0 = client.get("/api/v1/namespaces/default/configmaps")
                        .json()
                        .path("metadata")
                        .path("resourceVersion")
                        .asText();
                ApiClient.Response created = client.post(
                        "/api/v1/namespaces/default/configmaps",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"on-fake-etcd\"},"
                                + "\"data\":{\"k\":\"v\"}}");
                assertEquals(201, created.code(), created.body());
                long rv =
                        created.json().path("metadata").path("resourceVersion").asLong();

                ApiClient.Response got = client.get("/api/v1/namespaces/default/configmaps/on-fake-etcd");
                assertEquals(200, got.code(), got.body());
                assertEquals("v", got.json().path("data").path("k").asText());
                // resourceVersion is the store's revision of the key
                var stored = etcd.store()
                        .range(RangeRequest.newBuilder()
                                .setKey(ByteString.copyFromUtf8("/registry/configmaps/default/on-fake-etcd"))
                                .build());
                assertEquals(1, stored.getKvsCount());
                assertEquals(rv, stored.getKvs(0).getModRevision());
                assertTrue(stored.getKvs(0).getValue().startsWith(ByteString.copyFrom(new byte[] {'k', '8', 's', 0})));

                ApiClient.Response list = client.get("/api/v1/namespaces/default/configmaps");
                assertTrue(list.body().contains("\"name\":\"on-fake-etcd\""), list.body());

                ApiClient.Response watch = client.get(
                        "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + list0 + "&timeoutSeconds=2");
                assertEquals(200, watch.code(), watch.body());
                assertTrue(
                        watch.body().contains("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\""), watch.body());
                assertTrue(watch.body().contains("\"name\":\"on-fake-etcd\""), watch.body());
            }
        }
    }
}
