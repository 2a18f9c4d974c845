package io.kubetwin.scenarios.target;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.reference.LocalPorts;
import io.kubetwin.reference.ManagedProcess;
import io.kubetwin.reference.ReferenceBinaries;
import io.kubetwin.scenarios.model.Capability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The real control plane: etcd (or, as target {@code reference-fake-etcd}, the kubetwin fake etcd over mTLS:
 * {@link ReferenceStore}), kube-apiserver with the suite's flags, then kube-controller-manager (CSR
 * signing, namespace deletion, garbage collection, service-account tokens), all on 127.0.0.1 ephemeral ports
 * with certificates from {@link ClusterFiles}; then the suite's kubelets, real kubelets of the same release
 * ({@link ReferenceKubelets}) when {@code ci/reference/build-kubelet.sh} has built them (otherwise the cluster
 * lacks {@link Capability#KUBELET} and says why in its description).
 */
public final class ReferenceTarget implements Target {

    private final ReferenceStore store;
    private final ReferenceBinaries.Located located;
    private final KubeletBinaries.Located kubelets;

    public ReferenceTarget() {
        this(ReferenceStore.ETCD);
    }

    /** The reference on the given store. */
    public ReferenceTarget(ReferenceStore store) {
        this(store, ReferenceBinaries.locate(), KubeletBinaries.locate());
    }

    ReferenceTarget(ReferenceStore store, ReferenceBinaries.Located located, KubeletBinaries.Located kubelets) {
        this.store = store;
        this.located = located;
        this.kubelets = kubelets;
    }

    @Override
    public String name() {
        return store.targetName();
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(located.reason());
    }

    @Override
    public RunningCluster start(ClusterSpec spec) throws Exception {
        var binaries = located.binaries();
        if (binaries == null) {
            throw new IllegalStateException(located.reason());
        }
        // A free port is only free until someone else binds it: on a busy machine another process can take it
        // between freePort() and the component's own bind, so that (and only that) is retried with new ports.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(spec, binaries, kubelets);
            } catch (IllegalStateException e) {
                if (attempt == START_ATTEMPTS || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static final int START_ATTEMPTS = 3;
    private static final List<String> AGGREGATED_ROLES = List.of("admin", "edit", "view");

    private RunningCluster startOnce(ClusterSpec spec, ReferenceBinaries binaries, KubeletBinaries.Located kubelets)
            throws Exception {
        var files = new ClusterFiles(spec);
        var processes = new ArrayList<ManagedProcess>();
        ReferenceStore.Running etcd = null;
        try {
            etcd = store.start(binaries, files.path("etcd"));
            int apiPort = freePort();

            var flags = new ArrayList<String>();
            flags.add(binaries.apiServer().toString());
            flags.addAll(etcd.apiServerFlags());
            flags.add("--advertise-address=127.0.0.1");
            flags.add("--cert-dir=" + files.path("apiserver-certs"));
            flags.add("--enable-priority-and-fairness=true");
            flags.add("--v=1");
            flags.addAll(files.apiServerFlags(apiPort));
            var apiServer = ManagedProcess.start("kube-apiserver", flags, files.path("kube-apiserver.log"));
            processes.add(apiServer);

            var server = "https://127.0.0.1:" + apiPort;
            var admin = files.admin(server);
            var client = ApiClient.of(admin);
            waitFor("kube-apiserver /readyz", apiServer, Duration.ofSeconds(120), () -> {
                var r = client.get("/readyz");
                return r.code() == 200;
            });

            var kcmConfig = files.path("kube-controller-manager.kubeconfig");
            files.clientKubeconfig(server, "system:kube-controller-manager", List.of())
                    .write(kcmConfig);
            var kcm = ManagedProcess.start(
                    "kube-controller-manager",
                    List.of(
                            binaries.controllerManager().toString(),
                            "--kubeconfig=" + kcmConfig,
                            "--authentication-kubeconfig=" + kcmConfig,
                            "--authorization-kubeconfig=" + kcmConfig,
                            "--secure-port=0",
                            "--leader-elect=false",
                            "--controllers=*",
                            "--use-service-account-credentials=true",
                            "--cluster-signing-cert-file=" + files.path("ca.crt"),
                            "--cluster-signing-key-file=" + files.path("ca.key"),
                            "--root-ca-file=" + files.path("ca.crt"),
                            "--service-account-private-key-file=" + files.path("sa.key"),
                            "--v=1"),
                    files.path("kube-controller-manager.log"));
            processes.add(kcm);

            // Bootstrap RBAC is part of /readyz; the default service account comes from the controller manager and
            // is needed before any pod can be created. The rules of admin, edit and view come from the controller
            // manager's aggregation: a suite run before it would see them empty (binding admin is no escalation).
            waitFor(
                    "bootstrap RBAC, aggregated admin/edit/view and the default service account",
                    kcm,
                    Duration.ofSeconds(90),
                    () -> client.get("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:basic-user")
                                            .code()
                                    == 200
                            && AGGREGATED_ROLES.stream().allMatch(role -> hasRules(client, role))
                            && client.get("/api/v1/namespaces/default/serviceaccounts/default")
                                            .code()
                                    == 200);

            var nodes = kubelets.binaries() == null || spec.kubelets().isEmpty()
                    ? null
                    : ReferenceKubelets.start(kubelets.binaries(), files, spec.kubelets(), server, client);
            var version = client.get("/version")
                    .optionalJson()
                    .map(j -> j.path("gitVersion").asText())
                    .orElse("?");
            var description = "kube-apiserver " + version + " on " + server + " (" + binaries.dir() + ") on "
                    + store.description()
                    + (files.insecureModes().isEmpty() ? "" : "; insecure: " + String.join(", ", files.insecureModes()))
                    + (kubelets.binaries() == null
                            ? "; no kubelet: " + kubelets.reason()
                            : nodes == null
                                    ? ""
                                    : "; real kubelets " + kubelets.binaries().dir());
            return new Cluster(
                    name(),
                    files,
                    admin,
                    processes,
                    etcd,
                    nodes,
                    kubelets.binaries() != null,
                    description,
                    spec.auditPolicy() != null);
        } catch (Exception e) {
            var logs = new StringBuilder();
            if (etcd != null) {
                logs.append("\n--- ").append(store.description()).append('\n').append(etcd.tail(25));
            }
            for (var p : processes) {
                logs.append("\n--- ")
                        .append(p.name())
                        .append(" (alive=")
                        .append(p.alive())
                        .append(")\n")
                        .append(p.tail(25));
            }
            closeAll(processes);
            if (etcd != null) {
                etcd.close();
            }
            throw new IllegalStateException("reference cluster did not start: " + e.getMessage() + logs, e);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(String what, ManagedProcess process, Duration timeout, Check check) throws Exception {
        var deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " exited while waiting for " + what);
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException | UncheckedIOException e) {
                last = e; // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("timed out waiting for " + what + (last == null ? "" : ": " + last));
    }

    private static boolean hasRules(ApiClient client, String clusterRole) {
        return client.get("/apis/rbac.authorization.k8s.io/v1/clusterroles/" + clusterRole)
                .optionalJson()
                .map(role -> !role.path("rules").isEmpty())
                .orElse(false);
    }

    static int freePort() throws IOException {
        return LocalPorts.free();
    }

    static void closeAll(List<ManagedProcess> processes) {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }

    private static final class Cluster extends LocalCluster {
        private final String target;
        private final List<ManagedProcess> processes;
        private final ReferenceStore.Running etcd;
        private final ReferenceKubelets kubelets;
        private final boolean kubeletCapable;

        Cluster(
                String target,
                ClusterFiles files,
                Kubeconfig admin,
                List<ManagedProcess> processes,
                ReferenceStore.Running etcd,
                ReferenceKubelets kubelets,
                boolean kubeletCapable,
                String description,
                boolean audit) {
            super(files, admin, description, audit);
            this.target = target;
            this.processes = processes;
            this.etcd = etcd;
            this.kubelets = kubelets;
            this.kubeletCapable = kubeletCapable;
        }

        @Override
        public Optional<KubeletEndpoint> kubelet(String node) {
            return kubelets == null ? Optional.empty() : kubelets.endpoint(node);
        }

        @Override
        public String target() {
            return target;
        }

        @Override
        public Optional<EtcdEndpoint> etcd() {
            return Optional.of(etcd.endpoint());
        }

        @Override
        public Set<Capability> capabilities() {
            var capabilities = EnumSet.of(
                    Capability.SERVER_FLAGS,
                    Capability.AUDIT_LOG,
                    Capability.CONTROLLER_MANAGER,
                    Capability.CLIENT_CA,
                    Capability.ETCD,
                    Capability.ADMISSION_WEBHOOK);
            if (kubeletCapable) {
                capabilities.add(Capability.KUBELET);
            }
            return capabilities;
        }

        @Override
        protected void shutdown() {
            if (kubelets != null) {
                kubelets.close();
            }
            closeAll(processes);
            etcd.close();
        }
    }
}
