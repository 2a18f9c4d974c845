package io.kubetwin.etcd.server;

import io.kubetwin.etcd.mvcc.StoreOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated configuration of the fake etcd (what {@link EtcdFlags} parse to).
 *
 * @param dataDir where the data lives; null keeps everything in memory (the Java API only: the command line,
 *     like etcd, always has a data dir)
 * @param advertisePeerUrls {@code --initial-advertise-peer-urls}: with {@code initialClusterToken} they make
 *     the member id, as etcd computes it
 */
public record EtcdConfig(
        String name,
        Path dataDir,
        List<URI> listenClientUrls,
        List<URI> advertiseClientUrls,
        List<URI> listenPeerUrls,
        List<URI> advertisePeerUrls,
        String initialClusterToken,
        TlsInfo clientTls,
        TlsInfo peerTls,
        boolean clientAutoTls,
        boolean peerAutoTls,
        int selfSignedCertValidityYears,
        StoreOptions storeOptions) {

    /** An in-memory single member with TLS on one client URL (tests): the other settings are etcd's defaults. */
    public static EtcdConfig inMemory(URI clientUrl, URI peerUrl, TlsInfo clientTls, TlsInfo peerTls) {
        return new EtcdConfig(
                "default",
                null,
                List.of(clientUrl),
                List.of(clientUrl),
                List.of(peerUrl),
                List.of(peerUrl),
                "etcd-cluster",
                clientTls,
                peerTls,
                false,
                false,
                1,
                StoreOptions.defaults());
    }

    public EtcdConfig withDataDir(Path dir) {
        return new EtcdConfig(
                name,
                dir,
                listenClientUrls,
                advertiseClientUrls,
                listenPeerUrls,
                advertisePeerUrls,
                initialClusterToken,
                clientTls,
                peerTls,
                clientAutoTls,
                peerAutoTls,
                selfSignedCertValidityYears,
                storeOptions);
    }

    public EtcdConfig withStoreOptions(StoreOptions options) {
        return new EtcdConfig(
                name,
                dataDir,
                listenClientUrls,
                advertiseClientUrls,
                listenPeerUrls,
                advertisePeerUrls,
                initialClusterToken,
                clientTls,
                peerTls,
                clientAutoTls,
                peerAutoTls,
                selfSignedCertValidityYears,
                options);
    }
}
