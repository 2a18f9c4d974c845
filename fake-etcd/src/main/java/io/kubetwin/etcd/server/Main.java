package io.kubetwin.etcd.server;

import io.kubetwin.etcd.mvcc.BackendException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar fake-etcd.jar [etcd flags]}: starts one member as etcd would (etcdmain/etcd.go), logging in
 * etcd's zap JSON format on stderr, and runs until killed. Exit codes as etcd's: 2 for a flag it cannot parse,
 * 1 for flags it refuses and for a member that cannot start (a corrupt data file among them).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the member and blocks until the process is stopped; returns an exit code when it cannot start. */
    static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) throws InterruptedException {
        ZapLog log = new ZapLog(err);
        EtcdConfig config;
        try {
            EtcdFlags flags = EtcdFlags.parse(args);
            if (flags.versionRequested()) {
                // etcd prints its build's Git SHA and Go version here; the fake names itself instead
                out.println("etcd Version: " + io.kubetwin.etcd.grpc.MemberInfo.VERSION);
                out.println("Git SHA: Not provided (kubetwin fake-etcd)");
                out.println("Go Version: none (Java " + Runtime.version() + ")");
                out.println("Go OS/Arch: " + System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT) + "/"
                        + System.getProperty("os.arch"));
                return 0;
            }
            if (flags.helpRequested()) {
                usage(out);
                return 0;
            }
            log.info("etcdmain/etcd.go", "Running: ", "args", List.copyOf(Arrays.asList(args)));
            config = flags.toConfig(log);
        } catch (ConfigException e) {
            return refuse(e, log, err);
        }
        FakeEtcd etcd;
        try {
            etcd = FakeEtcd.start(config, log);
        } catch (ConfigException e) {
            return refuse(e, log, err);
        } catch (BackendException e) {
            log.fatal("etcdmain/etcd.go", "discovery failed", "error", e.getMessage());
            return 1;
        }
        log.info(
                "embed/etcd.go",
                "ready to serve client requests",
                "client-urls",
                etcd.clientUrls().toString());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            etcd.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static void usage(java.io.PrintStream to) {
        to.println("Usage:");
        to.println();
        to.println("  etcd [flags]");
        to.println("    Start an etcd server.");
        to.println();
        to.println("The flags fake-etcd implements are listed in fake-etcd/README.md.");
    }

    private static int refuse(ConfigException e, ZapLog log, java.io.PrintStream err) {
        switch (e.kind()) {
            case FLAG -> {
                err.println(e.getMessage());
                usage(err);
                return 2;
            }
            case VERIFY -> {
                log.warn("etcdmain/etcd.go", "failed to verify flags", "error", e.getMessage());
                if (e.getMessage().startsWith("--advertise-client-urls is required")) {
                    log.warn("etcdmain/etcd.go", "advertise client URLs are not set", "error", e.getMessage());
                }
                return 1;
            }
            default -> {
                log.fatal("etcdmain/etcd.go", "discovery failed", "error", e.getMessage());
                return 1;
            }
        }
    }
}
