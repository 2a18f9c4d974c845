package io.kubetwin.apiserver.storage.encryption.kms;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * The {@code v2.KeyManagementService} gRPC service (k8s.io/kms/apis/v2/api.proto): Status, Decrypt and Encrypt,
 * all unary. Shared by the client the fake apiserver uses and by any plugin served from Java (the tests' plugin).
 */
public final class KmsGrpc {
    /** The service's full name, as kube-apiserver calls it. */
    public static final String SERVICE = "v2.KeyManagementService";

    public static final MethodDescriptor<KmsMessages.StatusRequest, KmsMessages.StatusResponse> STATUS = unary(
            "Status",
            marshaller(KmsMessages::encode, KmsMessages::statusRequest),
            marshaller(KmsMessages::encode, KmsMessages::statusResponse));

    public static final MethodDescriptor<KmsMessages.DecryptRequest, KmsMessages.DecryptResponse> DECRYPT = unary(
            "Decrypt",
            marshaller(KmsMessages::encode, KmsMessages::decryptRequest),
            marshaller(KmsMessages::encode, KmsMessages::decryptResponse));

    public static final MethodDescriptor<KmsMessages.EncryptRequest, KmsMessages.EncryptResponse> ENCRYPT = unary(
            "Encrypt",
            marshaller(KmsMessages::encode, KmsMessages::encryptRequest),
            marshaller(KmsMessages::encode, KmsMessages::encryptResponse));

    private KmsGrpc() {}

    private static <Q, R> MethodDescriptor<Q, R> unary(
            String method, MethodDescriptor.Marshaller<Q> request, MethodDescriptor.Marshaller<R> response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
                .setRequestMarshaller(request)
                .setResponseMarshaller(response)
                .build();
    }

    interface Decoder<T> {
        T decode(byte[] data) throws IOException;
    }

    private static <T> MethodDescriptor.Marshaller<T> marshaller(Function<T, byte[]> encode, Decoder<T> decode) {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                return new ByteArrayInputStream(encode.apply(value));
            }

            @Override
            public T parse(InputStream stream) {
                try {
                    return decode.decode(stream.readAllBytes());
                } catch (IOException e) {
                    // what grpc-go says of a message it cannot unmarshal
                    throw Status.INTERNAL
                            .withDescription("grpc: failed to unmarshal the received message: " + e.getMessage())
                            .asRuntimeException();
                }
            }
        };
    }
}
