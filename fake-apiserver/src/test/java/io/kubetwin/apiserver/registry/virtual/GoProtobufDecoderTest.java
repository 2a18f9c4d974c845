package io.kubetwin.apiserver.registry.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.kubetwin.apiserver.api.StatusException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Protobuf bodies decoded by schema field numbers into the same Go values the JSON decoder produces. */
class GoProtobufDecoderTest {
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void decodesNestedMessagesRepeatedFieldsMapsAndTimes() throws IOException {
        byte[] extraValue = message(o -> {
            o.writeString(1, "x");
            o.writeString(1, "y");
        });
        byte[] spec = message(o -> {
            o.writeBytes(1, ByteString.copyFrom(message(ra -> ra.writeString(2, "get"))));
            o.writeString(3, "bob");
            o.writeString(4, "g1");
            o.writeString(4, "g2");
            o.writeBytes(5, ByteString.copyFrom(message(e -> {
                e.writeString(1, "k");
                e.writeBytes(2, ByteString.copyFrom(extraValue));
            })));
            o.writeInt64(6, 600);
            o.writeString(99, "unknown fields are skipped");
        });
        byte[] meta = message(o -> {
            o.writeString(1, "n");
            o.writeBytes(8, ByteString.copyFrom(message(t -> t.writeInt64(1, 1795366381L))));
        });
        byte[] review = message(o -> {
            o.writeBytes(1, ByteString.copyFrom(meta));
            o.writeBytes(2, ByteString.copyFrom(spec));
            o.writeBytes(3, ByteString.copyFrom(message(s -> s.writeBool(1, true))));
        });
        assertEquals("{\"metadata\":{\"name\":\"n\",\"creationTimestamp\":\"2026-11-22T16:53:01Z\"},\"spec\":{\"resourceAttributes\":"
                        + "{\"verb\":\"get\"},\"user\":\"bob\",\"groups\":[\"g1\",\"g2\"],\"extra\":{\"k\":[\"x\",\"y\"]},"
                        + "\"expirationSeconds\":600,\"audiences\":null},\"status\":{\"allowed\":true}}",
                GoValues.encode(GoProtobufDecoder.decode(review, GoJsonDecoderTest.REVIEW, "SubjectAccessReview"),
                        GoJsonDecoderTest.REVIEW).toString());
    }

    @Test
    void unwrapsTheEnvelope() throws IOException {
        byte[] unknown = message(o -> {
            o.writeBytes(1, ByteString.copyFrom(message(t -> {
                t.writeString(1, "authorization.k8s.io/v1");
                t.writeString(2, "SelfSubjectAccessReview");
            })));
            o.writeBytes(2, ByteString.copyFrom(new byte[] {1, 2, 3}));
        });
        byte[] body = new byte[unknown.length + 4];
        System.arraycopy(new byte[] {0x6b, 0x38, 0x73, 0x00}, 0, body, 0, 4);
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        GoProtobufDecoder.Envelope e = GoProtobufDecoder.unwrap(body, "SelfSubjectAccessReview");
        assertEquals("authorization.k8s.io/v1 SelfSubjectAccessReview 3", e.apiVersion() + " " + e.kind() + " " + e.raw().length);
    }

    @Test
    void refusesBodiesWithoutThePrefix() {
        StatusException e = assertThrows(StatusException.class, () -> GoProtobufDecoder.unwrap(new byte[] {'{', '}'}, "TokenReview"));
        assertEquals(400, e.code());
        assertEquals("the object provided is unrecognized (must be of type TokenReview): provided data does not appear to be "
                + "a protobuf message, expected prefix [107 56 115 0]", e.getMessage());
    }
}
