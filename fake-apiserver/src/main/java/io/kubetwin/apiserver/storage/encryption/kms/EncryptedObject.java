package io.kubetwin.apiserver.storage.encryption.kms;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a KMS v2 provider stores after its {@code k8s:enc:kms:v2:NAME:} prefix: the protobuf message
 * {@code v2.EncryptedObject} (k8s.io/apiserver/pkg/storage/value/encrypt/envelope/kmsv2/v2/api.proto), with the
 * checks of envelope.go's ValidateEncryptedObject, message for message.
 *
 * @param sourceType 0 ({@link #AES_GCM_KEY}: the plaintext of {@code encryptedDekSource} is the DEK) or 1
 *     ({@link #HKDF_SHA256_XNONCE_AES_GCM_SEED}: it is a seed each value's key is derived from)
 */
public record EncryptedObject(
        byte[] encryptedData,
        String keyId,
        byte[] encryptedDekSource,
        Map<String, byte[]> annotations,
        int sourceType) {
    public static final int AES_GCM_KEY = 0;
    public static final int HKDF_SHA256_XNONCE_AES_GCM_SEED = 1;

    static final int KEY_ID_MAX_SIZE = 1024;
    private static final int DEK_SOURCE_MAX_SIZE = 1024;
    private static final int ANNOTATIONS_MAX_SIZE = 32 * 1024;
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public EncryptedObject {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The same object with other encrypted data. */
    EncryptedObject withData(byte[] data) {
        return new EncryptedObject(data, keyId, encryptedDekSource, annotations, sourceType);
    }

    public byte[] encode() {
        return KmsMessages.write(out -> {
            KmsMessages.bytes(out, 1, encryptedData);
            KmsMessages.string(out, 2, keyId);
            KmsMessages.bytes(out, 3, encryptedDekSource);
            KmsMessages.map(out, 4, annotations);
            KmsMessages.varint(out, 5, sourceType);
        });
    }

    /**
     * Decodes a stored value (after its prefix).
     *
     * @throws IOException with Go's text when the bytes are not an EncryptedObject
     */
    public static EncryptedObject decode(byte[] data) throws IOException {
        KmsMessages.Fields f;
        try {
            f = KmsMessages.Fields.read(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IOException("proto: cannot parse invalid wire-format data");
        }
        return new EncryptedObject(f.bytes(1), f.string(2), f.bytes(3), f.map(4), (int) f.varint(5));
    }

    /** ValidateEncryptedObject: null when valid, else upstream's error text. */
    String invalid() {
        if (sourceType != AES_GCM_KEY && sourceType != HKDF_SHA256_XNONCE_AES_GCM_SEED) {
            return "unknown encryptedDEKSourceType: " + sourceType;
        }
        if (encryptedData.length == 0) {
            return "encrypted data is empty";
        }
        if (encryptedDekSource.length == 0) {
            return "failed to validate encrypted DEK source: encrypted DEK source is empty";
        }
        if (encryptedDekSource.length > DEK_SOURCE_MAX_SIZE) {
            return "failed to validate encrypted DEK source: encrypted DEK source is " + encryptedDekSource.length
                    + " bytes, which exceeds the max size of " + DEK_SOURCE_MAX_SIZE;
        }
        String keyIdError = invalidKeyId(keyId);
        if (keyIdError != null) {
            return "failed to validate key id: " + keyIdError;
        }
        String annotationsError = invalidAnnotations(annotations);
        if (annotationsError != null) {
            return "failed to validate annotations: " + annotationsError;
        }
        return null;
    }

    /** ValidateKeyID: null when valid. */
    static String invalidKeyId(String keyId) {
        if (keyId.isEmpty()) {
            return "keyID is empty";
        }
        int size = keyId.getBytes(StandardCharsets.UTF_8).length;
        if (size > KEY_ID_MAX_SIZE) {
            return "keyID is " + size + " bytes, which exceeds the max size of " + KEY_ID_MAX_SIZE;
        }
        return null;
    }

    /**
     * validateAnnotations: each key a fully qualified domain name (IsFullyQualifiedDomainName's messages), and
     * at most 32 kB of keys and values together.
     */
    private static String invalidAnnotations(Map<String, byte[]> annotations) {
        List<String> errors = new ArrayList<>();
        long size = 0;
        for (Map.Entry<String, byte[]> e : new TreeMap<>(annotations).entrySet()) {
            String fqdnError = invalidFqdn(e.getKey());
            if (fqdnError != null) {
                errors.add(fqdnError);
            }
            size += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().length;
        }
        if (size > ANNOTATIONS_MAX_SIZE) {
            errors.add(
                    "total size of annotations is " + size + ", which exceeds the max size of " + ANNOTATIONS_MAX_SIZE);
        }
        if (errors.isEmpty()) {
            return null;
        }
        return errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
    }

    /** validation.IsFullyQualifiedDomainName on the path "annotations", in its order of checks. */
    private static String invalidFqdn(String name) {
        if (name.isEmpty()) {
            return FieldError.required("annotations", "").toString();
        }
        String s = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        List<String> subdomain = new ArrayList<>();
        if (s.length() > 253) {
            subdomain.add("must be no more than 253 characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(s).matches()) {
            subdomain.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
                    + " '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used"
                    + " for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }
        if (!subdomain.isEmpty()) {
            return FieldError.invalid("annotations", s, String.join(",", subdomain))
                    .toString();
        }
        if (!s.contains(".")) {
            return FieldError.invalid(
                            "annotations", s, "should be a domain with at least two segments separated by dots")
                    .toString();
        }
        for (String label : s.split("\\.", -1)) {
            if (label.length() > 63) {
                return FieldError.invalid("annotations", label, "must be no more than 63 characters")
                        .toString();
            }
        }
        return null;
    }
}
