package io.kubetwin.apiserver.storage.encryption.kms;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.kubetwin.pki.GoText;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC client of a KMS v2 plugin on a unix socket (envelope/kmsv2/grpc_service.go): plaintext gRPC with the
 * authority {@code localhost}, every call waiting for the socket to be ready (WaitForReady) for at most the
 * provider's timeout, so a plugin that is down makes a call fail after the timeout with {@code rpc error: code =
 * DeadlineExceeded desc = context deadline exceeded}, as it does upstream. The channel connects lazily; a plugin
 * started after the apiserver is picked up. Thread-safe.
 */
final class GrpcKmsService implements KmsService {
    private final EventLoopGroup group;
    private final ManagedChannel channel;
    private final Duration timeout;
    private final String socket;

    /**
     * @param socket the path from the endpoint (util.ParseEndpoint)
     * @throws IllegalStateException where unix sockets cannot be used (Netty's epoll transport is Linux only)
     */
    GrpcKmsService(String socket, Duration timeout) {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("KMS v2 plugins are reached over a unix socket through Netty's epoll"
                    + " transport, unavailable here: " + Epoll.unavailabilityCause());
        }
        this.timeout = timeout;
        this.socket = socket;
        this.group = new EpollEventLoopGroup(1, daemonThreads("kms-plugin-" + socket));
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket))
                .eventLoopGroup(group)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .overrideAuthority("localhost")
                .build();
    }

    /**
     * util.ParseEndpoint: the path of a {@code unix://} URL (validation has already refused other schemes), as
     * net/url reads it (so {@code unix:///tmp/kms.sock} is {@code /tmp/kms.sock}).
     */
    static String socketPath(String endpoint) {
        try {
            String path = new java.net.URI(endpoint).getPath();
            return path == null ? "" : path;
        } catch (java.net.URISyntaxException e) {
            return endpoint.substring(endpoint.indexOf(':') + 1).replaceFirst("^//[^/]*", "");
        }
    }

    @Override
    public KmsMessages.StatusResponse status() {
        return call(KmsGrpc.STATUS, new KmsMessages.StatusRequest());
    }

    @Override
    public KmsMessages.EncryptResponse encrypt(String uid, byte[] plaintext) {
        return call(KmsGrpc.ENCRYPT, new KmsMessages.EncryptRequest(plaintext, uid));
    }

    @Override
    public byte[] decrypt(String uid, byte[] ciphertext, String keyId, Map<String, byte[]> annotations) {
        return call(KmsGrpc.DECRYPT, new KmsMessages.DecryptRequest(ciphertext, uid, keyId, annotations))
                .plaintext();
    }

    private <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
        CallOptions options =
                CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return ClientCalls.blockingUnaryCall(channel, method, options, request);
        } catch (StatusRuntimeException e) {
            throw new KmsException(goError(e.getStatus(), socket));
        }
    }

    /**
     * grpc-go's status error text. Our own deadline reads as grpc-go's: with the last dial error when the socket
     * cannot be connected to (grpc-java does not say why it waited), else Go's context error.
     */
    static String goError(Status status, String socket) {
        String desc = status.getDescription() == null ? "" : status.getDescription();
        if (status.getCode() == Status.Code.DEADLINE_EXCEEDED
                && (desc.startsWith("deadline exceeded after") || desc.contains("CallOptions deadline"))) {
            String dial = dialError(socket);
            desc = dial == null
                    ? "context deadline exceeded"
                    : "latest balancer error: connection error: desc = "
                            + GoText.quote("transport: Error while dialing: dial unix " + socket + ": " + dial);
        }
        return "rpc error: code = " + goCode(status.getCode()) + " desc = " + desc;
    }

    /** Why connecting to the socket fails, as Go's syscall error reads, or null when it connects. */
    private static String dialError(String socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return null;
        } catch (NoSuchFileException e) {
            return "connect: no such file or directory";
        } catch (AccessDeniedException e) {
            return "connect: permission denied";
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no such file")) {
                return "connect: no such file or directory";
            }
            if (m.contains("permission")) {
                return "connect: permission denied";
            }
            return "connect: connection refused";
        } catch (RuntimeException e) {
            return "connect: invalid argument";
        }
    }

    /** codes.Code's String(): CamelCase, and CANCELLED spelt Canceled. */
    static String goCode(Status.Code code) {
        if (code == Status.Code.CANCELLED) {
            return "Canceled";
        }
        StringBuilder s = new StringBuilder();
        for (String part : code.name().split("_")) {
            s.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
