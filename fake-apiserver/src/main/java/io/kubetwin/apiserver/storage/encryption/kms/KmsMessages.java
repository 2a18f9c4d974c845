package io.kubetwin.apiserver.storage.encryption.kms;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of the KMS v2 plugin API, field for field as k8s.io/kms/apis/v2/api.proto (package {@code v2}),
 * with their proto3 wire encoding. Written with protobuf-java's coded streams rather than generated: seven small
 * messages do not justify a protoc step in the build (the fake's etcd stubs come prebuilt too). Unknown fields
 * are skipped on decode, as any proto3 reader does; empty fields are left out on encode, as proto3 does.
 */
public final class KmsMessages {
    private KmsMessages() {}

    /** {@code StatusRequest}: no fields. */
    public record StatusRequest() {}

    /** {@code StatusResponse}: the plugin's API version ("v2"), health ("ok") and current key ID. */
    public record StatusResponse(String version, String healthz, String keyId) {}

    /** {@code EncryptRequest}: the DEK or seed to wrap. */
    public record EncryptRequest(byte[] plaintext, String uid) {}

    /** {@code EncryptResponse}: the wrapped DEK, the key that wrapped it and the plugin's annotations. */
    public record EncryptResponse(byte[] ciphertext, String keyId, Map<String, byte[]> annotations) {}

    /** {@code DecryptRequest}: a wrapped DEK with what the plugin returned when it wrapped it. */
    public record DecryptRequest(byte[] ciphertext, String uid, String keyId, Map<String, byte[]> annotations) {}

    /** {@code DecryptResponse}: the unwrapped DEK or seed. */
    public record DecryptResponse(byte[] plaintext) {}

    // ---- encoding

    static byte[] encode(StatusRequest m) {
        return new byte[0];
    }

    static byte[] encode(StatusResponse m) {
        return write(out -> {
            string(out, 1, m.version());
            string(out, 2, m.healthz());
            string(out, 3, m.keyId());
        });
    }

    static byte[] encode(EncryptRequest m) {
        return write(out -> {
            bytes(out, 1, m.plaintext());
            string(out, 2, m.uid());
        });
    }

    static byte[] encode(EncryptResponse m) {
        return write(out -> {
            bytes(out, 1, m.ciphertext());
            string(out, 2, m.keyId());
            map(out, 3, m.annotations());
        });
    }

    static byte[] encode(DecryptRequest m) {
        return write(out -> {
            bytes(out, 1, m.ciphertext());
            string(out, 2, m.uid());
            string(out, 3, m.keyId());
            map(out, 4, m.annotations());
        });
    }

    static byte[] encode(DecryptResponse m) {
        return write(out -> bytes(out, 1, m.plaintext()));
    }

    // ---- decoding

    static StatusRequest statusRequest(byte[] data) throws IOException {
        Fields.read(data);
        return new StatusRequest();
    }

    static StatusResponse statusResponse(byte[] data) throws IOException {
        Fields f = Fields.read(data);
        return new StatusResponse(f.string(1), f.string(2), f.string(3));
    }

    static EncryptRequest encryptRequest(byte[] data) throws IOException {
        Fields f = Fields.read(data);
        return new EncryptRequest(f.bytes(1), f.string(2));
    }

    static EncryptResponse encryptResponse(byte[] data) throws IOException {
        Fields f = Fields.read(data);
        return new EncryptResponse(f.bytes(1), f.string(2), f.map(3));
    }

    static DecryptRequest decryptRequest(byte[] data) throws IOException {
        Fields f = Fields.read(data);
        return new DecryptRequest(f.bytes(1), f.string(2), f.string(3), f.map(4));
    }

    static DecryptResponse decryptResponse(byte[] data) throws IOException {
        Fields f = Fields.read(data);
        return new DecryptResponse(f.bytes(1));
    }

    // ---- the wire format, shared with EncryptedObject

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] write(Writer writer) {
        try {
            ByteString.Output buffer = ByteString.newOutput();
            CodedOutputStream out = CodedOutputStream.newInstance(buffer);
            writer.write(out);
            out.flush();
            return buffer.toByteString().toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void string(CodedOutputStream out, int field, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            out.writeString(field, value);
        }
    }

    static void bytes(CodedOutputStream out, int field, byte[] value) throws IOException {
        if (value != null && value.length > 0) {
            out.writeByteArray(field, value);
        }
    }

    static void varint(CodedOutputStream out, int field, int value) throws IOException {
        if (value != 0) {
            out.writeInt32(field, value);
        }
    }

    /** A {@code map<string, bytes>}: one entry message (key 1, value 2) per pair, in key order. */
    static void map(CodedOutputStream out, int field, Map<String, byte[]> map) throws IOException {
        if (map == null) {
            return;
        }
        for (Map.Entry<String, byte[]> e : new TreeMap<>(map).entrySet()) {
            byte[] entry = write(o -> {
                string(o, 1, e.getKey());
                bytes(o, 2, e.getValue());
            });
            out.writeByteArray(field, entry);
        }
    }

    /** The fields of one message, last value wins for scalars, as proto3 merges them. */
    static final class Fields {
        /** Field 1 and field 2 of a map entry, both length-delimited (wire type 2). */
        private static final int KEY_TAG = (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

        private static final int VALUE_TAG = (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

        private final Map<Integer, Object> values = new TreeMap<>();
        private final Map<Integer, Map<String, byte[]>> maps = new TreeMap<>();

        static Fields read(byte[] data) throws IOException {
            Fields f = new Fields();
            CodedInputStream in = CodedInputStream.newInstance(data);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    return f;
                }
                int field = WireFormat.getTagFieldNumber(tag);
                switch (WireFormat.getTagWireType(tag)) {
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                        byte[] value = in.readByteArray();
                        f.values.put(field, value);
                        f.maps.computeIfAbsent(field, k -> new TreeMap<>()).putAll(entry(value));
                    }
                    case WireFormat.WIRETYPE_VARINT -> f.values.put(field, in.readInt64());
                    default -> in.skipField(tag);
                }
            }
        }

        /** A map entry, or nothing when the bytes are not one (the field was not a map). */
        private static Map<String, byte[]> entry(byte[] data) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(data);
                String key = "";
                byte[] value = new byte[0];
                while (true) {
                    int tag = in.readTag();
                    if (tag == 0) {
                        return Map.of(key, value);
                    }
                    if (tag == KEY_TAG) {
                        key = in.readStringRequireUtf8();
                    } else if (tag == VALUE_TAG) {
                        value = in.readByteArray();
                    } else {
                        in.skipField(tag);
                    }
                }
            } catch (IOException | RuntimeException notAnEntry) {
                return Map.of();
            }
        }

        byte[] bytes(int field) {
            return values.get(field) instanceof byte[] b ? b : new byte[0];
        }

        String string(int field) {
            return new String(bytes(field), java.nio.charset.StandardCharsets.UTF_8);
        }

        long varint(int field) {
            return values.get(field) instanceof Long l ? l : 0;
        }

        Map<String, byte[]> map(int field) {
            return maps.getOrDefault(field, Map.of());
        }
    }
}
