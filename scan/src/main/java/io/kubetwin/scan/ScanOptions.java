package io.kubetwin.scan;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a scan is asked to look at besides the apiserver.
 *
 * @param kubeletUrls  kubelet endpoints: {@code https://} ones are probed as the authenticated port (10250),
 *                     {@code http://} ones as the read-only port (10255)
 * @param etcdUrls     etcd client URLs, probed without a client certificate
 * @param auditLog     the apiserver's audit log file (JSON lines), when the scan may read it
 * @param allowWrites  whether checks may create (and then delete) a scratch namespace and send dry-run creates
 */
public record ScanOptions(List<String> kubeletUrls, List<String> etcdUrls, Path auditLog, boolean allowWrites) {
    public static final ScanOptions READ_ONLY = new ScanOptions(List.of(), List.of(), null, false);

    public ScanOptions {
        kubeletUrls = List.copyOf(kubeletUrls);
        etcdUrls = List.copyOf(etcdUrls);
    }

    public Optional<Path> auditLogFile() {
        return Optional.ofNullable(auditLog);
    }

    public ScanOptions withKubelet(String... urls) {
        return new ScanOptions(List.of(urls), etcdUrls, auditLog, allowWrites);
    }

    public ScanOptions withEtcd(String... urls) {
        return new ScanOptions(kubeletUrls, List.of(urls), auditLog, allowWrites);
    }

    public ScanOptions withAuditLog(Path file) {
        return new ScanOptions(kubeletUrls, etcdUrls, file, allowWrites);
    }

    public ScanOptions withWrites(boolean allow) {
        return new ScanOptions(kubeletUrls, etcdUrls, auditLog, allow);
    }
}
