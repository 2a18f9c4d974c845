package io.kubetwin.apiserver.server;

import io.kubetwin.pki.KubeconfigUserCommand;
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
            config = DemoDefaults.apply(config, flags);
        }
        FakeApiServer server;
        try {
            server = FakeApiServer.startBlocking(config);
        } catch (RuntimeException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        DemoDefaults.printServing(config, server, System.out);
        ClassDataSharing.exitIfTraining(server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
    }
}
