package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.apiserver.storage.etcd.EmbeddedEtcd;
import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.apiserver.storage.etcd.EtcdStorage;
import io.kubetwin.apiserver.storage.etcd.RegistryKeys;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Opens the store {@link StorageOptions} name, in the role of kube-apiserver's storage factory. */
final class StorageFactory {
    /** Values kube-apiserver wrote in its protobuf encoding (built-in kinds), read as JSON trees. */
    private static final Function<byte[], ObjectNode> PROTOBUF =
            bytes -> ProtobufDecoder.decode(bytes).object();

    private StorageFactory() {}

    /**
     * @param transformers each resource's transformer, applied to every value an etcd-backed store writes and reads
     *     (encryption at rest)
     * @param insecure collects the insecure settings to log at start-up
     */
    static Storage open(
            StorageOptions options, Function<ResourceKey, ValueTransformer> transformers, List<String> insecure) {
        if (options.inMemoryOnly()) {
            return new InMemoryStorage();
        }
        RegistryKeys keys = new RegistryKeys(options.prefix());
        if (options.dataDir() != null) {
            EmbeddedEtcd embedded = EmbeddedEtcd.open(options.dataDir());
            return EtcdStorage.open(embedded.channel(), keys, transformers, PROTOBUF, embedded::close);
        }
        EtcdConnection etcd = options.etcd();
        if (!etcd.tls()) {
            insecure.add("etcd is reached over plain http (--etcd-servers " + etcd.servers()
                    + "): anyone on the path reads and writes every object");
        } else if (etcd.certFile() == null) {
            insecure.add("no etcd client certificate (--etcd-certfile): the store must accept unauthenticated clients");
        }
        ManagedChannel channel = etcd.open();
        return EtcdStorage.open(channel, keys, transformers, PROTOBUF, () -> {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
