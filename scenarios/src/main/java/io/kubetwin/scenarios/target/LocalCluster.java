package io.kubetwin.scenarios.target;

import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * A cluster this process started on 127.0.0.1 from {@link ClusterFiles} (the reference's processes or an
 * in-process fake): what the two share, the admin kubeconfig, the client CA, the audit log chosen for it,
 * and a close that runs once and removes the work directory unless {@code -Dkubetwin.keepWorkDir=true}.
 */
public abstract class LocalCluster implements RunningCluster {
    private final ClusterFiles files;
    private final Kubeconfig admin;
    private final String description;
    private final ClusterAuditLog audit;
    private boolean closed;

    protected LocalCluster(ClusterFiles files, Kubeconfig admin, String description, boolean audit) {
        this.files = files;
        this.admin = admin;
        this.description = description;
        this.audit = audit ? new FileAuditLog(files.auditLogPath()) : ClusterAuditLog.NONE;
    }

    /** Stops what runs the cluster; called once, by {@link #close()}, before the work directory goes. */
    protected abstract void shutdown();

    @Override
    public Kubeconfig admin() {
        return admin;
    }

    @Override
    public Optional<CertificateAuthority> clientCa() {
        return Optional.of(files.ca());
    }

    @Override
    public ClusterAuditLog auditLog() {
        return audit;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public final synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdown();
        if (!Boolean.getBoolean("kubetwin.keepWorkDir")) {
            deleteTree(files.dir());
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temp directory is harmless
        }
    }
}
