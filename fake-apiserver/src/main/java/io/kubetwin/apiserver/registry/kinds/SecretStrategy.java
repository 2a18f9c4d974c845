package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.codec.GoJsonSyntax;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Secrets (pkg/registry/core/secret/strategy.go, ValidateSecret/ValidateSecretUpdate in
 * pkg/apis/core/validation/validation.go): stringData folds into data, type defaults to Opaque and is
 * immutable, and each well-known type requires its keys.
 */
public final class SecretStrategy implements ResourceStrategy {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REDACTED = "<secret contents redacted>";

    /** Go's base64 error for the first invalid value, e.g. "illegal base64 data at input byte 2", or null. */
    public static String base64Error(ObjectNode secret) {
        for (String field : new String[] {"data"}) {
            for (Iterator<Map.Entry<String, JsonNode>> it = secret.path(field).fields(); it.hasNext(); ) {
                JsonNode v = it.next().getValue();
                if (v.isNull()) {
                    continue;
                }
                String s = v.asText("");
                int bad = invalidBase64At(s);
                if (bad >= 0) {
                    return "illegal base64 data at input byte " + bad;
                }
            }
        }
        return null;
    }

    /**
     * Go's base64 error for one []byte field's JSON string (a webhook's caBundle, ...), or null when it decodes.
     */
    public static String base64Error(String value) {
        int bad = invalidBase64At(value);
        return bad >= 0 ? "illegal base64 data at input byte " + bad : null;
    }

    /** The offset Go's base64.StdEncoding reports for malformed input, or -1 when valid. */
    static int invalidBase64At(String s) {
        int i = 0;
        int n = s.length();
        int quantum = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                i++;
                continue;
            }
            if (c == '=') {
                // padding must complete the quantum and end the input
                if (quantum < 2) {
                    return i;
                }
                int need = 4 - quantum;
                for (int k = 0; k < need; k++) {
                    if (i >= n || s.charAt(i) != '=') {
                        return i >= n ? n : i;
                    }
                    i++;
                }
                return i < n ? i : -1;
            }
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return i;
            }
            quantum = (quantum + 1) % 4;
            i++;
        }
        // an unfinished last quantum is reported at its start (base64.CorruptInputError(si - j))
        return quantum == 0 ? -1 : n - quantum;
    }

    @Override
    public void applyDefaults(ObjectNode secret) {
        if (secret.path("type").asText("").isEmpty()) {
            secret.put("type", "Opaque");
        }
        JsonNode stringData = secret.get("stringData");
        if (stringData != null && stringData.isObject()) {
            ObjectNode data = secret.has("data") && secret.get("data").isObject()
                    ? (ObjectNode) secret.get("data")
                    : secret.putObject("data");
            stringData
                    .fields()
                    .forEachRemaining(e -> data.put(
                            e.getKey(),
                            Base64.getEncoder()
                                    .encodeToString(e.getValue().asText("").getBytes(StandardCharsets.UTF_8))));
        }
        secret.remove("stringData");
    }

    @Override
    public List<FieldError> validate(ObjectNode secret) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, byte[]> data = data(secret);
        long total = 0;
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            for (String msg : Names.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid("data[" + e.getKey() + "]", e.getKey(), msg));
            }
            total += e.getValue().length;
        }
        if (total > 1024 * 1024) {
            errs.add(FieldError.tooLong("data", 1024 * 1024));
        }
        switch (secret.path("type").asText("")) {
            case "kubernetes.io/service-account-token" -> {
                if (secret.path("metadata")
                        .path("annotations")
                        .path("kubernetes.io/service-account.name")
                        .asText("")
                        .isEmpty()) {
                    errs.add(FieldError.required("metadata.annotations[kubernetes.io/service-account.name]", ""));
                }
            }
            case "kubernetes.io/dockercfg" -> requireJson(errs, data, ".dockercfg");
            case "kubernetes.io/dockerconfigjson" -> requireJson(errs, data, ".dockerconfigjson");
            case "kubernetes.io/basic-auth" -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    errs.add(FieldError.required("data[username]", ""));
                    errs.add(FieldError.required("data[password]", ""));
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                byte[] key = data.get("ssh-privatekey");
                if (key == null || key.length == 0) {
                    errs.add(FieldError.required("data[ssh-privatekey]", ""));
                }
            }
            case "kubernetes.io/tls" -> {
                if (!data.containsKey("tls.crt")) {
                    errs.add(FieldError.required("data[tls.crt]", ""));
                }
                if (!data.containsKey("tls.key")) {
                    errs.add(FieldError.required("data[tls.key]", ""));
                }
            }
            default -> {}
        }
        return errs;
    }

    private static void requireJson(List<FieldError> errs, Map<String, byte[]> data, String key) {
        byte[] value = data.get(key);
        if (value == null) {
            errs.add(FieldError.required("data[" + key + "]", ""));
            return;
        }
        Optional<String> syntax = GoJsonSyntax.check(value);
        String error = syntax.orElse(null);
        if (error == null) {
            try {
                if (!JSON.readTree(value).isObject()) {
                    String type = JSON.readTree(value).isArray() ? "array" : "value";
                    error = "json: cannot unmarshal " + type + " into Go value of type map[string]interface {}";
                }
            } catch (IOException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            errs.add(FieldError.invalid("data[" + key + "]", REDACTED, error));
        }
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode secret, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>();
        if (!secret.path("type").asText("").equals(old.path("type").asText(""))) {
            errs.add(FieldError.invalid("type", secret.path("type").asText(""), "field is immutable"));
        }
        if (old.path("immutable").asBoolean(false)) {
            if (!secret.path("immutable").asBoolean(false)) {
                errs.add(FieldError.forbidden("immutable", "field is immutable when `immutable` is set"));
            }
            if (!secret.path("data").equals(old.path("data"))) {
                errs.add(FieldError.forbidden("data", "field is immutable when `immutable` is set"));
            }
        }
        errs.addAll(validate(secret));
        return errs;
    }

    private static Map<String, byte[]> data(ObjectNode secret) {
        Map<String, byte[]> out = new TreeMap<>();
        secret.path("data").fields().forEachRemaining(e -> {
            try {
                out.put(e.getKey(), Base64.getMimeDecoder().decode(e.getValue().asText("")));
            } catch (IllegalArgumentException ex) {
                out.put(e.getKey(), new byte[0]);
            }
        });
        return out;
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of("type", o -> o.path("type").asText(""));
    }

    @Override
    public List<String> fieldLabels() {
        return List.of("type", "metadata.namespace", "metadata.name");
    }

    @Override
    public List<String> mapFields() {
        return List.of("data", "stringData");
    }

    @Override
    public List<String> fieldOrder() {
        return List.of("kind", "apiVersion", "metadata", "immutable", "data", "type");
    }

    @Override
    public TableConvertor table() {
        return Printers.SECRETS;
    }
}
