package io.kubetwin.apiserver.storage.etcd;

import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kubetwin.etcd.grpc.KvService;
import io.kubetwin.etcd.grpc.LeaseService;
import io.kubetwin.etcd.grpc.WatchService;
import io.kubetwin.etcd.mvcc.EtcdStore;
import io.kubetwin.etcd.mvcc.SqliteBackend;
import io.kubetwin.etcd.mvcc.StoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A durable etcd store inside the fake apiserver's process: the kubetwin fake etcd's store on SQLite in a data
 * directory (every write fsynced before it is acknowledged, so objects survive {@code kill -9}), served to
 * {@link EtcdStorage} over an in-process gRPC channel: the same etcd v3 API as a remote store, without a port
 * to protect. Close it after the storage that uses it.
 */
public final class EmbeddedEtcd implements AutoCloseable {
    /** Fixed ids: one member, never joined to others. */
    private static final long CLUSTER_ID = 1;

    private static final long MEMBER_ID = 1;

    private final EtcdStore store;
    private final Server server;
    private final ManagedChannel channel;
    /** Runs {@link #txns}, which blocks until its writes are on disk. */
    private final ExecutorService executor;

    private EmbeddedEtcd(EtcdStore store, Server server, ManagedChannel channel, ExecutorService executor) {
        this.store = store;
        this.server = server;
        this.channel = channel;
        this.executor = executor;
    }

    /**
     * Opens (or creates) the store in {@code dataDir}, laid out as the fake etcd's {@code --data-dir}.
     *
     * @throws RuntimeException with the store's message when the data file is corrupt or unreadable
     */
    public static EmbeddedEtcd open(Path dataDir) {
        EtcdStore store = EtcdStore.open(SqliteBackend.open(dataDir), StoreOptions.defaults(), CLUSTER_ID, MEMBER_ID);
        String name = "kubetwin-embedded-etcd-" + UUID.randomUUID();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kubetwin-embedded-etcd-batch");
            t.setDaemon(true);
            return t;
        });
        Server server;
        try {
            server = InProcessServerBuilder.forName(name)
                    .addService(new KvService(store))
                    .addService(new WatchService(store))
                    .addService(new LeaseService(store).definition())
                    .build()
                    .start();
        } catch (IOException e) {
            executor.shutdownNow();
            store.close();
            throw new UncheckedIOException(e);
        }
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        return new EmbeddedEtcd(store, server, channel, executor);
    }

    public ManagedChannel channel() {
        return channel;
    }

    /**
     * Several transactions committed together, each with its own revision ({@link EtcdStore#txns}), answered off the
     * caller's thread; fails with the store's {@link io.kubetwin.etcd.mvcc.EtcdException} when one is refused.
     */
    public CompletableFuture<List<TxnResponse>> txns(List<TxnRequest> requests) {
        return CompletableFuture.supplyAsync(() -> store.txns(requests), executor);
    }

    /** The store's current revision (tests). */
    public long revision() {
        return store.revision();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        store.close();
    }
}
