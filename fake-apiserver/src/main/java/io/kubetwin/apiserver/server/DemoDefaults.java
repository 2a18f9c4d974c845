package io.kubetwin.apiserver.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code --demo} means, shared by {@code fake-apiserver --demo} and the demo module's cluster with nodes: the
 * embedded defaults (127.0.0.1:6443, RBAC, PKI in ./kubetwin-demo, objects kept in ./kubetwin-demo/data) for every
 * flag not given, and the lines printed once the server serves.
 */
public final class DemoDefaults {
    /** The demo's directory: its PKI, admin kubeconfig and (in {@code data/}) its objects. */
    public static final Path DIRECTORY = Path.of("kubetwin-demo");

    private DemoDefaults() {}

    /**
     * The demo's defaults over {@code parsed}, for each flag {@code given} does not set.
     *
     * @param parsed the configuration parsed from the command line
     * @param given the command line's flags, to tell a default from a flag set to it
     */
    public static ApiServerConfig apply(ApiServerConfig parsed, List<String> given) {
        ApiServerConfig.Builder b = parsed.toBuilder();
        if (given.stream().noneMatch(f -> f.startsWith("--bind-address"))) {
            b.bindAddress("127.0.0.1");
        }
        if (given.stream().noneMatch(f -> f.startsWith("--authorization-mode"))) {
            b.authorizationModes(List.of("RBAC"));
        }
        if (given.stream().noneMatch(f -> f.startsWith("--cert-dir"))) {
            b.certDir(DIRECTORY);
        }
        // the demo cluster persists: an embedded durable store beside its PKI, unless told otherwise
        if (parsed.storage().inMemoryOnly()) {
            b.storage(StorageOptions.embedded(DIRECTORY.resolve("data")));
        }
        return b.build();
    }

    /** Where it serves, where its objects are kept, and how to point kubectl at it. */
    public static void printServing(ApiServerConfig config, FakeApiServer server, PrintStream out) {
        Path kubeconfig = server.adminKubeconfigFile();
        out.println("Serving securely on " + config.bindAddress() + ":" + server.port());
        if (config.storage().dataDir() != null) {
            out.println("Objects are kept in " + config.storage().dataDir().toAbsolutePath()
                    + " (embedded etcd store; they survive restarts, delete the directory to start afresh)");
        } else if (config.storage().etcd() != null) {
            out.println("Objects are kept in etcd at " + config.storage().etcd().servers());
        } else {
            out.println(
                    "Objects are kept in memory only: they are lost when the server stops (--data-dir DIR keeps them)");
        }
        if (kubeconfig != null) {
            out.println("To use it with kubectl:");
            out.println("  export KUBECONFIG=" + kubeconfig.toAbsolutePath());
        }
    }
}
