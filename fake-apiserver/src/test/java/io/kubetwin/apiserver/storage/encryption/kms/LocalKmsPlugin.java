package io.kubetwin.apiserver.storage.encryption.kms;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KMS v2 plugin for tests, served on a unix socket the way real plugins are (gRPC, {@code v2.KeyManagementService}):
 * it wraps DEKs with a local AES-256-GCM key per key ID, generated when the key ID is first used, and returns the
 * annotation {@code version.kms.kubetwin.io}. Both the fake apiserver and the reference kube-apiserver use it; the
 * tests rotate its key ID, make it unhealthy or stop it, and count its calls. Thread-safe.
 */
public final class LocalKmsPlugin implements AutoCloseable {
    public static final String ANNOTATION = "version.kms.kubetwin.io";

    private final Path socket;
    private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger encrypts = new AtomicInteger();
    private final AtomicInteger decrypts = new AtomicInteger();
    private volatile String keyId;
    private volatile String healthz = "ok";
    private EventLoopGroup group;
    private Server server;

    private LocalKmsPlugin(Path socket, String keyId) {
        this.socket = socket;
        this.keyId = keyId;
    }

    /** Serves on {@code socket} (created; an old file there is removed) with the current key {@code keyId}. */
    public static LocalKmsPlugin start(Path socket, String keyId) throws IOException {
        LocalKmsPlugin plugin = new LocalKmsPlugin(socket, keyId);
        plugin.serve();
        return plugin;
    }

    /** The endpoint to put in an EncryptionConfiguration: {@code unix:///path}. */
    public String endpoint() {
        return "unix://" + socket.toAbsolutePath();
    }

    /** Makes {@code id} the current key: Status reports it, Encrypt wraps with it. Older keys still unwrap. */
    public void rotate(String id) {
        keyId = id;
    }

    /** What Status reports as healthz ("ok" is healthy). */
    public void healthz(String value) {
        healthz = value;
    }

    public int encryptCalls() {
        return encrypts.get();
    }

    public int decryptCalls() {
        return decrypts.get();
    }

    /** Stops serving (the socket goes away); {@link #restart()} serves again with the same keys. */
    public synchronized void stop() throws InterruptedException, IOException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            server = null;
            Files.deleteIfExists(socket);
        }
    }

    public synchronized void restart() throws IOException {
        if (server == null) {
            serve();
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
    }

    private synchronized void serve() throws IOException {
        Files.deleteIfExists(socket);
        group = new EpollEventLoopGroup(1);
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(group)
                .workerEventLoopGroup(group)
                .addService(service())
                .build()
                .start();
    }

    private ServerServiceDefinition service() {
        return ServerServiceDefinition.builder(KmsGrpc.SERVICE)
                .addMethod(KmsGrpc.STATUS, ServerCalls.asyncUnaryCall(this::status))
                .addMethod(KmsGrpc.ENCRYPT, ServerCalls.asyncUnaryCall(this::encrypt))
                .addMethod(KmsGrpc.DECRYPT, ServerCalls.asyncUnaryCall(this::decrypt))
                .build();
    }

    private void status(KmsMessages.StatusRequest request, StreamObserver<KmsMessages.StatusResponse> response) {
        response.onNext(new KmsMessages.StatusResponse("v2", healthz, keyId));
        response.onCompleted();
    }

    private void encrypt(KmsMessages.EncryptRequest request, StreamObserver<KmsMessages.EncryptResponse> response) {
        encrypts.incrementAndGet();
        String id = keyId;
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, id, nonce, request.plaintext(), 0, request.plaintext().length);
        byte[] ciphertext = Arrays.copyOf(nonce, 12 + sealed.length);
        System.arraycopy(sealed, 0, ciphertext, 12, sealed.length);
        response.onNext(new KmsMessages.EncryptResponse(
                ciphertext, id, Map.of(ANNOTATION, "1".getBytes(StandardCharsets.UTF_8))));
        response.onCompleted();
    }

    private void decrypt(KmsMessages.DecryptRequest request, StreamObserver<KmsMessages.DecryptResponse> response) {
        decrypts.incrementAndGet();
        if (!keys.containsKey(request.keyId())) {
            response.onError(Status.INVALID_ARGUMENT
                    .withDescription("unknown key id " + request.keyId())
                    .asRuntimeException());
            return;
        }
        byte[] c = request.ciphertext();
        try {
            response.onNext(new KmsMessages.DecryptResponse(
                    gcm(Cipher.DECRYPT_MODE, request.keyId(), Arrays.copyOf(c, 12), c, 12, c.length - 12)));
            response.onCompleted();
        } catch (IllegalStateException e) {
            response.onError(
                    Status.INVALID_ARGUMENT.withDescription("cannot unwrap").asRuntimeException());
        }
    }

    private byte[] gcm(int mode, String id, byte[] nonce, byte[] data, int offset, int length) {
        SecretKeySpec key = keys.computeIfAbsent(id, k -> {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            return new SecretKeySpec(bytes, "AES");
        });
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(data, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
