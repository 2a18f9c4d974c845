package io.kubetwin.apiserver.server;

import io.kubetwin.pki.KubeconfigUserCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/**
 * Command line: {@code fake-apiserver [kube-apiserver flags]}, {@code fake-apiserver --demo} (the
 * embedded default on 127.0.0.1:6443 with its PKI in ./kubetwin-demo and its objects in ./kubetwin-demo/data), or
 * {@code fake-apiserver kubeconfig-user --client-name=NAME [--org=GROUP]...} (as
 * {@code kubeadm kubeconfig user}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("kubeconfig-user")) {
            int code = new CommandLine(new KubeconfigUserCommand()).execute(Arrays.copyOfRange(args, 1, args.length));
            System.exit(code);
        }
        List<String> flags = new ArrayList<>(Arrays.asList(args));
        if (flags.contains("--help") || flags.contains("-h")) {
            System.out.println(ApiServerFlags.usage());
            System.out.println(
                    "  --demo   start the embedded default: RBAC, 127.0.0.1:6443, PKI in ./kubetwin-demo, objects in ./kubetwin-demo/data");
            System.out.println(
                    "\nSubcommand: kubeconfig-user --client-name=NAME [--org=GROUP]... (as kubeadm kubeconfig user)");
            return;
        }
        boolean demo = flags.remove("--demo");
        ApiServerConfig config;
        try {
            config = ApiServerConfig.fromArgs(flags);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (demo) {
            config = demoDefaults(config, flags);
        }
        FakeApiServer server;
        try {
            server = FakeApiServer.startBlocking(config);
        } catch (RuntimeException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Path kubeconfig = server.adminKubeconfigFile();
        System.out.println("Serving securely on " + config.bindAddress() + ":" + server.port());
        if (config.storage().dataDir() != null) {
            System.out.println(
                    "Objects are kept in " + config.storage().dataDir().toAbsolutePath()
                            + " (embedded etcd store; they survive restarts, delete the directory to start afresh)");
        } else if (config.storage().etcd() != null) {
            System.out.println(
                    "Objects are kept in etcd at " + config.storage().etcd().servers());
        } else {
            System.out.println(
                    "Objects are kept in memory only: they are lost when the server stops (--data-dir DIR keeps them)");
        }
        if (kubeconfig != null) {
            System.out.println("To use it with kubectl:");
            System.out.println("  export KUBECONFIG=" + kubeconfig.toAbsolutePath());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }

    private static ApiServerConfig demoDefaults(ApiServerConfig parsed, List<String> given) {
        ApiServerConfig.Builder b = parsed.toBuilder();
        if (given.stream().noneMatch(f -> f.startsWith("--bind-address"))) {
            b.bindAddress("127.0.0.1");
        }
        if (given.stream().noneMatch(f -> f.startsWith("--authorization-mode"))) {
            b.authorizationModes(List.of("RBAC"));
        }
        if (given.stream().noneMatch(f -> f.startsWith("--cert-dir"))) {
            b.certDir(Path.of("kubetwin-demo"));
        }
        // the demo cluster persists: an embedded durable store beside its PKI, unless told otherwise
        if (parsed.storage().inMemoryOnly()) {
            b.storage(StorageOptions.embedded(Path.of("kubetwin-demo", "data")));
        }
        return b.build();
    }
}
