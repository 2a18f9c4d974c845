package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.KeyType;
import io.kubetwin.reference.LocalPorts;
import io.kubetwin.scenarios.model.KubeletSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files one kubelet of a suite gets, the same for the fake and the real kubelet: a serving certificate for
 * 127.0.0.1 and the node name from the cluster CA, a kubeconfig with the node's identity ({@code system:node:NAME}
 * in {@code system:nodes}, as the Node authorizer and NodeRestriction expect), and a KubeletConfiguration file:
 * the runner's base, then {@code runtime} (what lets the real kubelet run without cgroups; the fake ignores it),
 * then the suite's fragment. Everything lives in a short directory under the system temp directory, because the
 * real kubelet puts unix sockets under its root directory and a socket path may not exceed 107 bytes.
 */
public final class KubeletFiles {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final KubeletSpec spec;
    private final Path dir;
    private final int port;
    private final int readOnlyPort;
    private final int healthzPort;

    private KubeletFiles(KubeletSpec spec, Path dir, int port, int readOnlyPort, int healthzPort) {
        this.spec = spec;
        this.dir = dir;
        this.port = port;
        this.readOnlyPort = readOnlyPort;
        this.healthzPort = healthzPort;
    }

    /**
     * Writes the node's files.
     *
     * @param cluster   the cluster's files (its CA signs the node's certificates and is the kubelet's client CA)
     * @param apiServer the apiserver URL the node registers with
     * @param runtime   KubeletConfiguration fields for the container runtime, or null
     */
    public static KubeletFiles write(ClusterFiles cluster, KubeletSpec spec, String apiServer, JsonNode runtime)
            throws IOException {
        var dir = Files.createTempDirectory(
                "kt-" + spec.name().substring(0, Math.min(8, spec.name().length())) + "-");
        var fragment = spec.config() == null || spec.config().isNull() ? JSON.objectNode() : spec.config();
        int readOnly = fragment.path("readOnlyPort").asInt(0) != 0 ? LocalPorts.free() : 0;
        var files = new KubeletFiles(spec, dir, LocalPorts.free(), readOnly, LocalPorts.free());
        var serving = cluster.ca()
                .issue(CertificateSpec.server(spec.name())
                        .dnsNames(List.of(spec.name(), "localhost"))
                        .ipAddresses("127.0.0.1")
                        .keyType(KeyType.EC_P256)
                        .build());
        Files.writeString(files.servingCertificate(), serving.certificatePem());
        Files.writeString(files.servingKey(), serving.privateKeyPem());
        cluster.clientKubeconfig(apiServer, "system:node:" + spec.name(), List.of("system:nodes"))
                .write(files.kubeconfig());
        var config = files.base(cluster);
        if (runtime != null && runtime.isObject()) {
            merge(config, runtime);
        }
        merge(config, fragment);
        config.put("readOnlyPort", readOnly);
        Files.writeString(files.config(), new YAMLMapper().writeValueAsString(config));
        return files;
    }

    /** The runner's base: the kubelet's config-file defaults for authentication and authorization, written out. */
    private ObjectNode base(ClusterFiles cluster) {
        var config = JSON.objectNode();
        config.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
        config.put("kind", "KubeletConfiguration");
        config.put("address", "127.0.0.1");
        config.put("port", port);
        config.put("healthzBindAddress", "127.0.0.1");
        config.put("healthzPort", healthzPort);
        config.put("tlsCertFile", servingCertificate().toString());
        config.put("tlsPrivateKeyFile", servingKey().toString());
        var authn = config.putObject("authentication");
        authn.putObject("anonymous").put("enabled", false);
        authn.putObject("webhook").put("enabled", true);
        authn.putObject("x509").put("clientCAFile", cluster.path("ca.crt").toString());
        config.putObject("authorization").put("mode", "Webhook");
        config.put("containerRuntimeEndpoint", "unix://" + criSocket());
        return config;
    }

    /** Objects merge field by field; anything else (scalars, lists) is replaced. */
    private static void merge(ObjectNode into, JsonNode from) {
        from.fields().forEachRemaining(e -> {
            var existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue().isObject()) {
                merge(target, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue().deepCopy());
            }
        });
    }

    public String node() {
        return spec.name();
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve("config.yaml");
    }

    public Path kubeconfig() {
        return dir.resolve("kubeconfig");
    }

    public Path servingCertificate() {
        return dir.resolve("serving.crt");
    }

    public Path servingKey() {
        return dir.resolve("serving.key");
    }

    public Path criSocket() {
        return dir.resolve("cri.sock");
    }

    public Path rootDir() {
        return dir.resolve("root");
    }

    public Path certDir() {
        return dir.resolve("certs");
    }

    public int port() {
        return port;
    }

    /** The read-only port, or 0 when it stays closed. */
    public int readOnlyPort() {
        return readOnlyPort;
    }

    public int healthzPort() {
        return healthzPort;
    }

    /** The endpoint steps use, trusting the cluster CA that signed the serving certificate. */
    public KubeletEndpoint endpoint(ClusterFiles cluster, int actualPort, int actualReadOnlyPort) {
        return new KubeletEndpoint(
                spec.name(),
                "https://127.0.0.1:" + actualPort,
                actualReadOnlyPort > 0 ? "http://127.0.0.1:" + actualReadOnlyPort : null,
                cluster.ca().certificatePem());
    }

    /** Removes the directory (unless {@code -Dkubetwin.keepWorkDir=true}). */
    public void delete() {
        if (!Boolean.getBoolean("kubetwin.keepWorkDir")) {
            LocalCluster.deleteTree(dir);
        }
    }
}
