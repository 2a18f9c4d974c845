package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.apiserver.storage.ValueTransformer;
import io.kubetwin.pki.GoText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list of transformers told apart by the prefix of the stored value (value.NewPrefixTransformers,
 * k8s.io/apiserver/pkg/storage/value/transformer.go): the first writes and prefixes its output; a read goes to
 * the first one whose prefix the value starts with, falls through to the next on an error, and is stale when it
 * was not the first one's. An empty prefix (identity) matches everything and its errors are skipped. Used twice, as
 * upstream: for the providers of a resource ({@code k8s:enc:aescbc:v1:}) and for the keys of a provider
 * ({@code key1:}). Immutable and thread-safe.
 */
final class PrefixTransformers implements ValueTransformer {
    /** One transformer and the prefix that marks its values. */
    record Prefixed(String prefix, ValueTransformer transformer) {
        byte[] prefixBytes() {
            return prefix.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final String noMatch;
    private final List<Prefixed> transformers;
    private final List<byte[]> prefixes;

    /** @param noMatch the error when no prefix matches (upstream's text for this level) */
    PrefixTransformers(String noMatch, List<Prefixed> transformers) {
        if (transformers.isEmpty()) {
            throw new IllegalArgumentException("no transformers");
        }
        this.noMatch = noMatch;
        this.transformers = List.copyOf(transformers);
        this.prefixes = this.transformers.stream().map(Prefixed::prefixBytes).toList();
    }

    List<Prefixed> transformers() {
        return transformers;
    }

    @Override
    public byte[] toStorage(byte[] plain, String storageKey) {
        byte[] prefix = prefixes.get(0);
        byte[] out = transformers.get(0).transformer().toStorage(plain, storageKey);
        byte[] stored = Arrays.copyOf(prefix, prefix.length + out.length);
        System.arraycopy(out, 0, stored, prefix.length, out.length);
        return stored;
    }

    @Override
    public Transformed fromStorage(byte[] stored, String storageKey) {
        List<String> errors = new ArrayList<>();
        Transformed t = read(stored, storageKey, errors);
        if (t != null) {
            return t;
        }
        throw TransformFailure.of(errors.isEmpty() ? noMatch : GoText.aggregate(errors));
    }

    /**
     * The value, or null with the errors of the transformers whose prefix matched added to {@code errors}
     * (none when no prefix matched). A nested PrefixTransformers adds its errors one by one, as Go's aggregate
     * flattens nested aggregates when it prints them.
     */
    private Transformed read(byte[] stored, String storageKey, List<String> errors) {
        for (int i = 0; i < transformers.size(); i++) {
            byte[] prefix = prefixes.get(i);
            if (!startsWith(stored, prefix)) {
                continue;
            }
            byte[] rest = Arrays.copyOfRange(stored, prefix.length, stored.length);
            ValueTransformer transformer = transformers.get(i).transformer();
            List<String> failed = new ArrayList<>();
            Transformed t;
            if (transformer instanceof PrefixTransformers nested) {
                t = nested.read(rest, storageKey, failed);
                if (t == null && failed.isEmpty()) {
                    failed.add(nested.noMatch);
                }
            } else {
                try {
                    t = transformer.fromStorage(rest, storageKey);
                } catch (StorageException e) {
                    t = null;
                    failed.add(e.getMessage());
                }
            }
            if (t != null) {
                return new Transformed(t.plain(), t.stale() || i != 0);
            }
            // an empty prefix (identity) matches anything: its refusal is not an error worth reporting
            if (prefix.length > 0) {
                errors.addAll(failed);
            }
        }
        return null;
    }

    static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
