package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.api.YamlTree;
import io.kubetwin.apiserver.api.YamlTree.MapValue;
import io.kubetwin.apiserver.api.YamlTree.Scalar;
import io.kubetwin.apiserver.api.YamlTree.ScalarKind;
import io.kubetwin.apiserver.api.YamlTree.SeqValue;
import io.kubetwin.apiserver.api.YamlTree.Value;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.IdentityConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.Key;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.KeysConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.KmsConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ProviderConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ResourceConfiguration;
import io.kubetwin.pki.GoDuration;
import io.kubetwin.pki.GoText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Decodes the file as kube-apiserver's strict UniversalDecoder does (encryptionconfig/config.go loadConfig):
 * YAML or JSON; {@code apiserver.config.k8s.io/v1 EncryptionConfiguration} or the legacy {@code v1
 * EncryptionConfig}; a value of the wrong JSON type is Go's {@code json: cannot unmarshal ...}; unknown fields and
 * duplicate keys are a {@code strict decoding error}; then v1 defaulting of KMS providers. Stateless; each call
 * decodes one document.
 */
final class EncryptionConfigDecoder {
    static final String GROUP_VERSION = "apiserver.config.k8s.io/v1";
    static final String KIND = "EncryptionConfiguration";
    /**
     * The scheme name in "no kind is registered" errors as the v1.34.4 reference prints it (a module-mode build;
     * an official release build names the registering file instead).
     */
    static final String SCHEME = "pkg/runtime/scheme.go:110";
    /** Other kinds of the same group version: they decode, then are not an EncryptionConfiguration. */
    private static final Set<String> OTHER_KINDS = Set.of(
            "AdmissionConfiguration",
            "AuthenticationConfiguration",
            "AuthorizationConfiguration",
            "TracingConfiguration");

    private static final String VERSION_KIND_STRUCT =
            "struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }";
    private static final Duration DEFAULT_KMS_TIMEOUT = Duration.ofSeconds(3);
    private static final int DEFAULT_KMS_CACHE_SIZE = 1000;

    /** The document is not a valid EncryptionConfiguration; the message follows upstream's file prefix. */
    static class DecodeError extends Exception {
        DecodeError(String message) {
            super(message, null, false, false);
        }
    }

    /** Another kind of the group decoded fine: upstream says so without naming the file. */
    static final class UnexpectedType extends DecodeError {
        UnexpectedType(String message) {
            super(message);
        }
    }

    /** Go's first type error ends decoding, as json.Unmarshal reports the first one. */
    private static final class TypeError extends RuntimeException {
        TypeError(String message) {
            super(message, null, false, false);
        }
    }

    private final List<String> unknown = new ArrayList<>();

    private EncryptionConfigDecoder() {}

    static EncryptionConfiguration decode(String document) throws DecodeError {
        Value root;
        try {
            root = YamlTree.parse(document);
        } catch (YamlTree.SyntaxError e) {
            throw new DecodeError(e.getMessage());
        }
        return new EncryptionConfigDecoder().run(root, document);
    }

    private EncryptionConfiguration run(Value root, String document) throws DecodeError {
        if (!(root instanceof MapValue) && !isNull(root)) {
            throw new DecodeError("couldn't get version/kind; json parse error: json: cannot unmarshal "
                    + jsonKind(root) + " into Go value of type " + VERSION_KIND_STRUCT);
        }
        Map<String, Value> top = root instanceof MapValue m ? m.entries() : Map.of();
        String apiVersion = typeMeta(top, "apiVersion");
        String kind = typeMeta(top, "kind");
        if (kind.isEmpty()) {
            throw new DecodeError("Object 'Kind' is missing in '" + document + "'");
        }
        if (apiVersion.isEmpty()) {
            throw new DecodeError("Object 'apiVersion' is missing in '" + document + "'");
        }
        boolean current = apiVersion.equals(GROUP_VERSION) && kind.equals(KIND);
        boolean legacy = apiVersion.equals("v1") && kind.equals("EncryptionConfig");
        if (!current && !legacy) {
            if (apiVersion.equals(GROUP_VERSION) && OTHER_KINDS.contains(kind)) {
                throw new UnexpectedType("got unexpected config type: " + GROUP_VERSION + ", Kind=" + kind);
            }
            throw new DecodeError("no kind " + quote(kind) + " is registered for version " + quote(apiVersion)
                    + " in scheme " + quote(SCHEME));
        }
        EncryptionConfiguration config;
        try {
            config = configuration((MapValue) root);
        } catch (TypeError e) {
            throw new DecodeError(e.getMessage());
        }
        List<String> strict = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        collectDuplicates(root, duplicates);
        if (!duplicates.isEmpty()) {
            strict.add("yaml: unmarshal errors:\n  " + String.join("\n  ", duplicates));
        }
        unknown.stream().sorted().forEach(p -> strict.add("unknown field " + quote(p)));
        if (!strict.isEmpty()) {
            throw new DecodeError("strict decoding error: " + String.join(", ", strict));
        }
        return config;
    }

    private EncryptionConfiguration configuration(MapValue top) {
        List<ResourceConfiguration> resources = null;
        for (Map.Entry<String, Value> e : top.entries().entrySet()) {
            switch (e.getKey()) {
                case "apiVersion", "kind" -> {}
                case "resources" ->
                    resources = list(
                            e.getValue(),
                            "EncryptionConfiguration.resources",
                            "[]v1.ResourceConfiguration",
                            "resources",
                            this::resourceConfiguration);
                default -> unknown.add(e.getKey());
            }
        }
        return new EncryptionConfiguration(resources);
    }

    private ResourceConfiguration resourceConfiguration(Value v, String path) {
        MapValue m = object(v, "EncryptionConfiguration.resources", "v1.ResourceConfiguration");
        List<String> resources = null;
        List<ProviderConfiguration> providers = null;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            switch (e.getKey()) {
                case "resources" ->
                    resources = list(
                            e.getValue(),
                            "ResourceConfiguration.resources.resources",
                            "[]string",
                            path + ".resources",
                            (item, p) -> string(item, "ResourceConfiguration.resources.resources"));
                case "providers" ->
                    providers = list(
                            e.getValue(),
                            "ResourceConfiguration.resources.providers",
                            "[]v1.ProviderConfiguration",
                            path + ".providers",
                            this::providerConfiguration);
                default -> unknown.add(path + "." + e.getKey());
            }
        }
        return new ResourceConfiguration(resources, providers);
    }

    private ProviderConfiguration providerConfiguration(Value v, String path) {
        String field = "ResourceConfiguration.resources.providers";
        MapValue m = object(v, field, "v1.ProviderConfiguration");
        KeysConfiguration gcm = null;
        KeysConfiguration cbc = null;
        KeysConfiguration box = null;
        IdentityConfiguration identity = null;
        KmsConfiguration kms = null;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            String name = e.getKey();
            Value value = e.getValue();
            String p = path + "." + name;
            switch (name) {
                case "aesgcm" -> gcm = isNull(value) ? null : keys(value, p, "aesgcm", "v1.AESConfiguration");
                case "aescbc" -> cbc = isNull(value) ? null : keys(value, p, "aescbc", "v1.AESConfiguration");
                case "secretbox" ->
                    box = isNull(value) ? null : keys(value, p, "secretbox", "v1.SecretboxConfiguration");
                case "identity" -> identity = isNull(value) ? null : identity(value, p);
                case "kms" -> kms = isNull(value) ? null : kms(value, p);
                default -> unknown.add(p);
            }
        }
        return new ProviderConfiguration(gcm, cbc, box, identity, kms);
    }

    private KeysConfiguration keys(Value v, String path, String name, String goType) {
        String structName = goType.substring(3);
        MapValue m = object(v, "ProviderConfiguration.resources.providers." + name, goType);
        List<Key> keys = null;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            if (e.getKey().equals("keys")) {
                String field = structName + ".resources.providers." + name + ".keys";
                keys = list(e.getValue(), field, "[]v1.Key", path + ".keys", (item, p) -> key(item, p, field));
            } else {
                unknown.add(path + "." + e.getKey());
            }
        }
        return new KeysConfiguration(keys);
    }

    private Key key(Value v, String path, String field) {
        MapValue m = object(v, field, "v1.Key");
        String name = "";
        String secret = "";
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            switch (e.getKey()) {
                case "name" -> name = string(e.getValue(), "Key" + field.substring(field.indexOf('.')) + ".name");
                case "secret" -> secret = string(e.getValue(), "Key" + field.substring(field.indexOf('.')) + ".secret");
                default -> unknown.add(path + "." + e.getKey());
            }
        }
        return new Key(name, secret);
    }

    private IdentityConfiguration identity(Value v, String path) {
        MapValue m = object(v, "ProviderConfiguration.resources.providers.identity", "v1.IdentityConfiguration");
        m.entries().keySet().forEach(k -> unknown.add(path + "." + k));
        return new IdentityConfiguration();
    }

    private KmsConfiguration kms(Value v, String path) {
        String field = "KMSConfiguration.resources.providers.kms.";
        MapValue m = object(v, "ProviderConfiguration.resources.providers.kms", "v1.KMSConfiguration");
        String apiVersion = "";
        String name = "";
        Integer cacheSize = null;
        String endpoint = "";
        Duration timeout = null;
        for (Map.Entry<String, Value> e : m.entries().entrySet()) {
            Value value = e.getValue();
            switch (e.getKey()) {
                case "apiVersion" -> apiVersion = string(value, field + "apiVersion");
                case "name" -> name = string(value, field + "name");
                case "endpoint" -> endpoint = string(value, field + "endpoint");
                case "cachesize" -> cacheSize = isNull(value) ? null : int32(value, field + "cachesize");
                case "timeout" -> timeout = isNull(value) ? null : duration(value);
                default -> unknown.add(path + "." + e.getKey());
            }
        }
        // SetDefaults_KMSConfiguration (apis/apiserver/v1/defaults.go)
        if (timeout == null) {
            timeout = DEFAULT_KMS_TIMEOUT;
        }
        if (apiVersion.isEmpty()) {
            apiVersion = "v1";
        }
        if (cacheSize == null && apiVersion.equals("v1")) {
            cacheSize = DEFAULT_KMS_CACHE_SIZE;
        }
        return new KmsConfiguration(apiVersion, name, cacheSize, endpoint, timeout);
    }

    private static Duration duration(Value v) {
        // metav1.Duration's UnmarshalJSON: a JSON string parsed by time.ParseDuration
        if (!(v instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            throw new TypeError("json: cannot unmarshal " + jsonKind(v) + " into Go value of type string");
        }
        try {
            return GoDuration.parse(s.text());
        } catch (IllegalArgumentException e) {
            throw new TypeError(e.getMessage());
        }
    }

    private static Integer int32(Value v, String field) {
        if (v instanceof Scalar s && s.kind() == ScalarKind.NUMBER) {
            try {
                return Integer.valueOf(s.text());
            } catch (NumberFormatException e) {
                throw new TypeError("json: cannot unmarshal number " + s.text() + " into Go struct field " + field
                        + " of type int32");
            }
        }
        throw typeError(v, field, "int32");
    }

    private static String string(Value v, String field) {
        if (isNull(v)) {
            return "";
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            return s.text();
        }
        throw typeError(v, field, "string");
    }

    private static MapValue object(Value v, String field, String goType) {
        if (v instanceof MapValue m) {
            return m;
        }
        if (isNull(v)) {
            return new MapValue(Map.of(), List.of());
        }
        throw typeError(v, field, goType);
    }

    /** A JSON array decoded item by item; null stays null (Go's nil slice). */
    private static <T> List<T> list(
            Value v, String field, String goType, String path, BiFunction<Value, String, T> item) {
        if (isNull(v)) {
            return null;
        }
        if (!(v instanceof SeqValue seq)) {
            throw typeError(v, field, goType);
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            out.add(item.apply(seq.items().get(i), path + "[" + i + "]"));
        }
        return out;
    }

    private static TypeError typeError(Value v, String field, String goType) {
        return new TypeError(
                "json: cannot unmarshal " + jsonKind(v) + " into Go struct field " + field + " of type " + goType);
    }

    private static String typeMeta(Map<String, Value> top, String field) throws DecodeError {
        Value v = top.get(field);
        if (v == null || isNull(v)) {
            return "";
        }
        if (v instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            return s.text();
        }
        throw new DecodeError("couldn't get version/kind; json parse error: json: cannot unmarshal " + jsonKind(v)
                + " into Go struct field ." + field + " of type string");
    }

    private static void collectDuplicates(Value v, List<String> out) {
        if (v instanceof MapValue m) {
            out.addAll(m.duplicates());
            m.entries().values().forEach(child -> collectDuplicates(child, out));
        } else if (v instanceof SeqValue s) {
            s.items().forEach(child -> collectDuplicates(child, out));
        }
    }

    private static boolean isNull(Value v) {
        return v instanceof Scalar s && s.kind() == ScalarKind.NULL;
    }

    private static String jsonKind(Value v) {
        if (v instanceof MapValue) {
            return "object";
        }
        if (v instanceof SeqValue) {
            return "array";
        }
        Scalar s = (Scalar) v;
        return switch (s.kind()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOL -> "bool";
            case NULL -> "null";
        };
    }

    private static String quote(String s) {
        return GoText.quote(s);
    }
}
