package io.kubetwin.apiserver.server;

import io.grpc.ManagedChannel;
import io.kubetwin.apiserver.registry.codec.StorageCodec;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.apiserver.storage.etcd.EmbeddedEtcd;
import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.apiserver.storage.etcd.EtcdStorage;
import io.kubetwin.apiserver.storage.etcd.RegistryKeys;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Opens the store {@link StorageOptions} name, in the role of kube-apiserver's storage factory. */
final class StorageFactory {
    /** Values as kube-apiserver stores them: protobuf for built-in kinds, JSON for the others; both read. */
    private static final StorageCodec CODEC = new StorageCodec();

    private StorageFactory() {}

    /**
     * @param encryption {@code --encryption-provider-config}: applied to every value an etcd-backed store writes
     *     and reads, per resource
     * @param insecure collects the insecure settings to log at start-up
     */
    static Storage open(StorageOptions options, EncryptionConfig encryption, List<String> insecure) {
        if (options.inMemoryOnly()) {
            if (encryption.configured()) {
                // objects are kept in memory, never written as bytes: there is nothing at rest to encrypt
                insecure.add("--encryption-provider-config " + encryption.file()
                        + " has no effect: the in-memory storage keeps no values at rest (use --etcd-servers or "
                        + "--data-dir)");
            }
            return new InMemoryStorage();
        }
        RegistryKeys keys = new RegistryKeys(options.prefix());
        // KMS v2 plugins are connected (and probed once) only for a store that keeps values at rest
        encryption.start();
        try {
            return openEtcd(options, encryption, keys, insecure);
        } catch (RuntimeException | Error e) {
            encryption.close();
            throw e;
        }
    }

    private static Storage openEtcd(
            StorageOptions options, EncryptionConfig encryption, RegistryKeys keys, List<String> insecure) {
        // each resource's storage gets its own transformer, as kube-apiserver's storage factory gives it
        Function<ResourceKey, ValueTransformer> transformers =
                resource -> encryption.forResource(resource.group(), resource.resource());
        if (options.dataDir() != null) {
            EtcdStorage embedded = EtcdStorage.embedded(
                    EmbeddedEtcd.open(options.dataDir()), keys, transformers, CODEC, encryption::close);
            embedded.startOperations(options.operations(), "[" + options.dataDir() + "]");
            return embedded;
        }
        EtcdConnection etcd = options.etcd();
        if (!etcd.tls()) {
            insecure.add("etcd is reached over plain http (--etcd-servers " + etcd.servers()
                    + "): anyone on the path reads and writes every object");
        } else if (etcd.certFile() == null) {
            insecure.add("no etcd client certificate (--etcd-certfile): the store must accept unauthenticated clients");
        }
        ManagedChannel channel = etcd.open();
        EtcdStorage storage = EtcdStorage.open(channel, keys, transformers, CODEC, () -> {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            encryption.close();
        });
        // the endpoints as etcd's client lists them, for the compactor's log lines
        storage.startOperations(
                options.operations(),
                etcd.servers().stream().map(Object::toString).collect(Collectors.joining(" ", "[", "]")));
        return storage;
    }
}
