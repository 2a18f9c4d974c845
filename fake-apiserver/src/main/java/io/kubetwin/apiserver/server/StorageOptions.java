package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.apiserver.storage.etcd.EtcdOptions;
import io.kubetwin.apiserver.storage.etcd.RegistryKeys;
import java.nio.file.Path;

/**
 * Where the fake apiserver keeps its objects: in memory (the default, fast for tests), in an etcd cluster
 * given by kube-apiserver's {@code --etcd-servers}, {@code --etcd-cafile}, {@code --etcd-certfile},
 * {@code --etcd-keyfile} and {@code --etcd-prefix}, or in an embedded durable store under {@code --data-dir}
 * (ours, as k3s names its own).
 *
 * @param etcd the remote store, or null
 * @param dataDir the embedded store's directory, or null
 * @param prefix {@code --etcd-prefix} (default {@code /registry}), for both etcd-backed kinds
 * @param operations the compactor's interval and the Events' leases, for both etcd-backed kinds
 */
public record StorageOptions(EtcdConnection etcd, Path dataDir, String prefix, EtcdOptions operations) {
    public StorageOptions {
        prefix = prefix == null || prefix.isEmpty() ? RegistryKeys.DEFAULT_PREFIX : prefix;
        operations = operations == null ? EtcdOptions.defaults() : operations;
        if (etcd != null && dataDir != null) {
            throw new IllegalArgumentException(
                    "--data-dir (an embedded store) and --etcd-servers (an external one) are mutually exclusive");
        }
    }

    public StorageOptions(EtcdConnection etcd, Path dataDir, String prefix) {
        this(etcd, dataDir, prefix, null);
    }

    /** The same store with other compaction and lease settings. */
    public StorageOptions withOperations(EtcdOptions v) {
        return new StorageOptions(etcd, dataDir, prefix, v);
    }

    /** Everything in memory, lost when the server stops. */
    public static StorageOptions inMemory() {
        return new StorageOptions(null, null, null);
    }

    /** The embedded durable store in {@code dir}. */
    public static StorageOptions embedded(Path dir) {
        return new StorageOptions(null, dir, null);
    }

    /** An external etcd. */
    public static StorageOptions etcd(EtcdConnection connection, String prefix) {
        return new StorageOptions(connection, null, prefix);
    }

    public boolean inMemoryOnly() {
        return etcd == null && dataDir == null;
    }
}
