package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.client.ApiClient;
import io.kubetwin.reference.EtcdProcess;
import io.kubetwin.reference.Etcdctl;
import io.kubetwin.reference.KubeApiServerProcess;
import io.kubetwin.reference.ReferenceBinaries;
import java.nio.file.Path;

/**
 * The reference etcd and kube-apiserver v1.34.4 started with extra kube-apiserver flags, plus the reference etcdctl
 * to read and write raw values; {@link #unavailable()} says why a test must skip.
 */
final class ReferenceControlPlane implements AutoCloseable {
    private final EtcdProcess etcd;
    private final KubeApiServerProcess apiServer;
    private final Etcdctl etcdctl;

    private ReferenceControlPlane(EtcdProcess etcd, KubeApiServerProcess apiServer, Etcdctl etcdctl) {
        this.etcd = etcd;
        this.apiServer = apiServer;
        this.etcdctl = etcdctl;
    }

    /** Why the reference cannot run here, or null when it can. */
    static String unavailable() {
        String binaries = ReferenceBinaries.locate().reason();
        return binaries != null ? binaries : Etcdctl.locate().reason();
    }

    static ReferenceControlPlane start(Path dir, String... apiServerFlags) throws Exception {
        ReferenceBinaries binaries = ReferenceBinaries.locate().binaries();
        EtcdProcess etcd = EtcdProcess.builder(binaries.etcd(), dir).start();
        try {
            KubeApiServerProcess apiServer = KubeApiServerProcess.builder(binaries.apiServer(), dir)
                    .etcd(etcd.url(), null)
                    .authorizationMode("RBAC")
                    .flags(apiServerFlags)
                    .start();
            return new ReferenceControlPlane(
                    etcd, apiServer, Etcdctl.of(Etcdctl.locate().dir(), etcd.url()));
        } catch (Exception | Error e) {
            etcd.close();
            throw e;
        }
    }

    /** The etcd's client URL (plain HTTP), for a fake apiserver to share the store. */
    String etcdUrl() {
        return etcd.url();
    }

    ApiClient admin() {
        return apiServer.admin();
    }

    /** The raw value of an etcd key, as etcdctl reads it. */
    byte[] get(String key) throws Exception {
        return etcdctl.get(key);
    }

    /** Writes raw bytes under an etcd key with etcdctl. */
    void put(String key, byte[] value) throws Exception {
        etcdctl.put(key, value);
    }

    @Override
    public void close() {
        // the apiserver first, then etcd
        apiServer.close();
        etcd.close();
    }
}
