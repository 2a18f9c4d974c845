package io.kubetwin.apiserver.storage.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.EtcdCluster;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real etcd v3.6.4 cluster of three members on 127.0.0.1, with TLS and required client certificates on the
 * client and the peer listeners: two fake apiservers with {@code --etcd-servers} naming every member share it (one
 * writes, the other reads and watches), and keep doing so when the member they talk to is stopped; kube-apiserver
 * v1.34.4 on the same cluster does the same. Skipped without the reference build.
 */
class EtcdClusterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path etcdBinary;

    @BeforeEach
    void reference() {
        etcdBinary = EtcdTargets.realEtcdBinary();
        assumeTrue(etcdBinary != null, "reference etcd not found: set KUBETWIN_REFERENCE_BIN (ci/reference)");
    }

    @Test
    void twoFakeApiserversOnAThreeMemberClusterSurviveTheLossOfTheirMember() throws Exception {
        EtcdTargets.Certs certs = EtcdTargets.Certs.create(dir);
        try (EtcdCluster cluster = start(certs)) {
            EtcdConnection connection = new EtcdConnection(
                    cluster.urls().stream().map(URI::create).toList(),
                    certs.ca(),
                    certs.clientCrt(),
                    certs.clientKey());
            ApiServerConfig config = ApiServerConfig.builder()
                    .storage(StorageOptions.etcd(connection, "/registry"))
                    .build();
            try (TestApiServer a = TestApiServer.start(config);
                    TestApiServer b = TestApiServer.start(config)) {
                String rv = create(a.admin(), "before");
                JsonNode seen = b.admin()
                        .get("/api/v1/namespaces/default/configmaps/before")
                        .json();
                assertEquals(rv, seen.path("metadata").path("resourceVersion").asText());

                List<JsonNode> events = new CopyOnWriteArrayList<>();
                CountDownLatch added = new CountDownLatch(2);
                CompletableFuture<Integer> watch = b.admin()
                        .streamLines(
                                "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=30&resourceVersion=" + rv,
                                line -> {
                                    JsonNode event = parse(line);
                                    events.add(event);
                                    if (event.path("type").asText().equals("ADDED")) {
                                        added.countDown();
                                    }
                                });

                // both servers' channels pick the first server listed, as etcd's client does with one endpoint
                int port = URI.create(cluster.urls().get(0)).getPort();
                assertTrue(establishedTo(port) > 0, "no connection of this JVM to the first member");
                cluster.member(0).close();

                String after = create(a.admin(), "after");
                ApiClient.Response read = b.admin().get("/api/v1/namespaces/default/configmaps/after");
                assertEquals(200, read.code(), read.body());
                assertEquals(
                        after,
                        read.json().path("metadata").path("resourceVersion").asText());
                assertEquals(201, create(b.admin(), "from-b", 201).code());
                assertTrue(added.await(30, TimeUnit.SECONDS), "watch events: " + events);
                assertEquals(
                        List.of("after", "from-b"),
                        events.stream()
                                .filter(e -> e.path("type").asText().equals("ADDED"))
                                .map(e -> e.path("object")
                                        .path("metadata")
                                        .path("name")
                                        .asText())
                                .toList());
                assertEquals(0, establishedTo(port));
                watch.cancel(true);
            }
        }
    }

    @Test
    void kubeApiServerOnTheSameClusterSurvivesTheLossOfAMember() throws Exception {
        ReferenceBinaries binaries = ReferenceBinaries.locate().binaries();
        assumeTrue(binaries != null);
        EtcdTargets.Certs certs = EtcdTargets.Certs.create(dir);
        try (EtcdCluster cluster = start(certs);
                KubeApiServerProcess apiServer = KubeApiServerProcess.builder(
                                binaries.apiServer(), dir.resolve("kube-apiserver"))
                        .etcd(
                                cluster.endpoints(),
                                new KubeApiServerProcess.EtcdClientTls(
                                        certs.ca(), certs.clientCrt(), certs.clientKey()))
                        .start()) {
            create(apiServer.admin(), "before");
            cluster.member(0).close();
            String after = create(apiServer.admin(), "after");
            assertEquals(
                    after,
                    apiServer
                            .admin()
                            .get("/api/v1/namespaces/default/configmaps/after")
                            .json()
                            .path("metadata")
                            .path("resourceVersion")
                            .asText());
        }
    }

    private EtcdCluster start(EtcdTargets.Certs certs) throws IOException, InterruptedException {
        // the server certificate is also a client certificate for 127.0.0.1: the peers' too
        EtcdProcess.ServerTls tls = new EtcdProcess.ServerTls(certs.serverCrt(), certs.serverKey(), certs.ca(), true);
        return EtcdProcess.builder(etcdBinary, dir.resolve("etcd"))
                .tls(tls)
                .peerTls(tls)
                .startCluster(3);
    }

    private static String create(ApiClient client, String name) {
        return create(client, name, 201)
                .json()
                .path("metadata")
                .path("resourceVersion")
                .asText();
    }

    private static ApiClient.Response create(ApiClient client, String name, int expected) {
        ApiClient.Response r =
                client.post("/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"" + name + "\"}}");
        assertEquals(expected, r.code(), r.body());
        return r;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Established TCP connections of this process to 127.0.0.1:port: its sockets' inodes in /proc/net/tcp*. */
    private static long establishedTo(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Matcher m = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                    if (m.matches()) {
                        inodes.add(m.group(1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        String remote = String.format(":%04X", port);
        long n = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode (field 9); st 01 = ESTABLISHED
                if (f.length > 9 && f[2].endsWith(remote) && f[3].equals("01") && inodes.contains(f[9])) {
                    n++;
                }
            }
        }
        return n;
    }

    private static final Pattern SOCKET = Pattern.compile("socket:\\[(\\d+)]");
}
