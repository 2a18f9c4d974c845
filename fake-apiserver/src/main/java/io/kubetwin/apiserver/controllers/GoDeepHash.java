package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The pod-template-hash kube-controller-manager computes (pkg/controller/controller_utils.go ComputeHash): FNV-32a
 * over go-spew's {@code %#v} print of the Go {@code v1.PodTemplateSpec} (pkg/util/hash DeepHashObject with
 * apimachinery's dump.ForHash config: SortKeys, DisableMethods, SpewKeys, DisablePointerAddresses,
 * DisableCapacities), then the collision count's 8 little-endian bytes when set, rendered by rand.SafeEncodeString.
 *
 * <p>The print walks the Go types ({@code pod-template-spew.json.gz}, recorded from k8s.io/api v0.34.4 by
 * {@code ci/reference/record-pod-template-hash.sh}: per type its kind and, for structs, the fields in declaration
 * order) over the JSON object the way the controller's informer sees it after protobuf decoding: an empty list or map
 * is nil, an absent field is Go's zero value, a quantity is ParseQuantity's result for its canonical text. Not
 * reproduced: quantities outside ParseQuantity's int64 form (more than 18 digits or finer than nano), which print an
 * inf.Dec, and non-null timestamps inside the template; {@link #printed} throws {@link IllegalArgumentException} for
 * them.
 */
final class GoDeepHash {
    private static final String RESOURCE = "/io/kubetwin/apiserver/controllers/pod-template-spew.json.gz";
    private static final String ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
    private static final Map<String, TypeInfo> TYPES = load();

    record Field(String name, String json, String type) {}

    record TypeInfo(String kind, String elem, String key, List<Field> fields) {}

    private GoDeepHash() {}

    /** ComputeHash(template, collisionCount); {@code collisionCount} null when the Deployment has none. */
    static String podTemplateHash(JsonNode template, Integer collisionCount) {
        byte[] text = printed(template).getBytes(StandardCharsets.UTF_8);
        int h = 0x811c9dc5;
        h = fnv(h, text);
        if (collisionCount != null) {
            int c = collisionCount;
            h = fnv(h, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24), 0, 0, 0, 0});
        }
        return safeEncode(Integer.toUnsignedString(h));
    }

    /** spew's %#v of the template as a Go v1.PodTemplateSpec. */
    static String printed(JsonNode template) {
        StringBuilder out = new StringBuilder();
        format("v1.PodTemplateSpec", template, true, out);
        return out.toString();
    }

    /** rand.SafeEncodeString: each byte mapped onto an alphabet without vowels and confusable characters. */
    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            out.append(ALPHANUMS.charAt((b & 0xff) % ALPHANUMS.length()));
        }
        return out.toString();
    }

    private static int fnv(int h, byte[] data) {
        for (byte b : data) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private static void format(String type, JsonNode value, boolean showType, StringBuilder out) {
        TypeInfo info = TYPES.get(type);
        if (info == null) {
            throw new IllegalArgumentException("no Go type " + type);
        }
        if (info.kind().equals("ptr")) {
            if (absent(value)) {
                out.append(showType ? "(" + type + ")<nil>" : "<nil>");
                return;
            }
            if (showType) {
                out.append('(').append(type).append(')');
            }
            format(info.elem(), value, false, out);
            return;
        }
        if (showType) {
            out.append('(').append(type).append(')');
        }
        switch (info.kind()) {
            case "struct" -> formatStruct(type, info, value, out);
            case "slice" -> {
                if (absent(value) || value.isEmpty() && !value.isTextual()) {
                    out.append("<nil>");
                    return;
                }
                out.append('[');
                if (value.isTextual()) { // []byte, base64 in JSON
                    byte[] bytes = Base64.getDecoder().decode(value.asText());
                    for (int i = 0; i < bytes.length; i++) {
                        out.append(i > 0 ? " " : "").append(bytes[i] & 0xff);
                    }
                } else {
                    for (int i = 0; i < value.size(); i++) {
                        if (i > 0) {
                            out.append(' ');
                        }
                        format(info.elem(), value.get(i), false, out);
                    }
                }
                out.append(']');
            }
            case "map" -> {
                if (absent(value) || value.isEmpty()) {
                    out.append("<nil>");
                    return;
                }
                List<String> keys = new ArrayList<>();
                value.fieldNames().forEachRemaining(keys::add);
                keys.sort(null); // SortKeys; string keys compare as strings
                out.append("map[");
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        out.append(' ');
                    }
                    out.append(keys.get(i)).append(':');
                    format(info.elem(), value.get(keys.get(i)), false, out);
                }
                out.append(']');
            }
            case "string" -> out.append(absent(value) ? "" : value.asText());
            case "bool" -> out.append(!absent(value) && value.asBoolean());
            case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64" ->
                out.append(absent(value) ? "0" : value.asText());
            default -> throw new IllegalArgumentException("Go kind " + info.kind() + " of " + type);
        }
    }

    private static void formatStruct(String type, TypeInfo info, JsonNode value, StringBuilder out) {
        switch (type) {
            case "resource.Quantity" -> {
                quantity(absent(value) ? null : value.asText(), out);
                return;
            }
            case "intstr.IntOrString" -> {
                boolean text = value != null && value.isTextual();
                out.append("{Type:(intstr.Type)")
                        .append(text ? 1 : 0)
                        .append(" IntVal:(int32)")
                        .append(text || absent(value) ? "0" : value.asText())
                        .append(" StrVal:(string)")
                        .append(text ? value.asText() : "")
                        .append('}');
                return;
            }
            case "v1.Time" -> {
                if (!absent(value)) {
                    throw new IllegalArgumentException("a timestamp in a pod template");
                }
                out.append("{Time:(time.Time){wall:(uint64)0 ext:(int64)0 loc:(*time.Location)<nil>}}");
                return;
            }
            default -> {}
        }
        out.append('{');
        List<Field> fields = info.fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (i > 0) {
                out.append(' ');
            }
            out.append(f.name()).append(':');
            // an embedded struct (json:",inline") reads its fields from the same object
            JsonNode fieldValue = f.json().isEmpty() ? value : absent(value) ? null : value.get(f.json());
            format(f.type(), fieldValue, true, out);
        }
        out.append('}');
    }

    /** ParseQuantity's int64Amount form of a canonical quantity, as spew prints the struct's fields. */
    private static void quantity(String text, StringBuilder out) {
        long value = 0;
        int scale = 0;
        String s = "";
        String format = "";
        if (text != null) {
            Parsed p = parse(text);
            value = p.value;
            scale = p.scale;
            s = p.s;
            format = p.format;
        }
        out.append("{i:(resource.int64Amount){value:(int64)")
                .append(value)
                .append(" scale:(resource.Scale)")
                .append(scale)
                .append("} d:(resource.infDecAmount){Dec:(*inf.Dec)<nil>} s:(string)")
                .append(s)
                .append(" Format:(resource.Format)")
                .append(format)
                .append('}');
    }

    private record Parsed(long value, int scale, String s, String format) {}

    private static Parsed parse(String str) {
        if (str.equals("0")) {
            return new Parsed(0, 0, str, "DecimalSI");
        }
        int pos = 0;
        int end = str.length();
        boolean positive = true;
        if (str.charAt(0) == '-' || str.charAt(0) == '+') {
            positive = str.charAt(0) == '+';
            pos++;
        }
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        int start = pos;
        while (pos < end && Character.isDigit(str.charAt(pos))) {
            pos++;
        }
        String num = str.substring(start, pos);
        if (num.isEmpty()) {
            num = "0";
        }
        String denom = "";
        if (pos < end && str.charAt(pos) == '.') {
            int d = ++pos;
            while (pos < end && Character.isDigit(str.charAt(pos))) {
                pos++;
            }
            denom = str.substring(d, pos);
        }
        String suffix = str.substring(pos);
        String format;
        int exponent;
        int binaryExponent = -1;
        switch (suffix) {
            case "" -> {
                format = "DecimalSI";
                exponent = 0;
            }
            case "n", "u", "m", "k", "M", "G", "T", "P", "E" -> {
                format = "DecimalSI";
                exponent = 3 * ("num kMGTPE".indexOf(suffix) - 3);
            }
            case "Ki", "Mi", "Gi", "Ti", "Pi", "Ei" -> {
                format = "BinarySI";
                binaryExponent = 10 * (" KMGTPE".indexOf(suffix.charAt(0)));
                exponent = binaryExponent;
            }
            default -> {
                if (suffix.length() < 2 || (suffix.charAt(0) != 'e' && suffix.charAt(0) != 'E')) {
                    throw new IllegalArgumentException("quantity " + str);
                }
                format = "DecimalExponent";
                exponent = Integer.parseInt(suffix.substring(1));
            }
        }
        int precision;
        int scale;
        long mantissa = 1;
        if (binaryExponent >= 0) {
            scale = 0;
            if (denom.isEmpty()) {
                mantissa = 1L << binaryExponent;
                precision = 15 - num.length() - (int) ((float) binaryExponent * 3 / 10) - 1;
            } else {
                precision = -1;
            }
        } else {
            scale = exponent;
            precision = 18 - (num.length() + denom.length());
        }
        if (precision >= 0) {
            scale -= denom.length();
            if (scale >= -9) {
                String shifted = num + denom;
                long v = Long.parseLong(shifted);
                try {
                    long result = Math.multiplyExact(v, mantissa);
                    if (!positive) {
                        result = -result;
                    }
                    boolean keep = format.equals("BinarySI")
                            ? exponent % 10 == 0 && (v & 0x07) != 0
                            : scale % 3 == 0 && !shifted.endsWith("000") && shifted.charAt(0) != '0';
                    return new Parsed(result, scale, keep ? str : "", format);
                } catch (ArithmeticException overflow) {
                    // falls through to the inf.Dec form
                }
            }
        }
        throw new IllegalArgumentException("quantity " + str + " takes ParseQuantity's inf.Dec form");
    }

    private static Map<String, TypeInfo> load() {
        try (InputStream in = GoDeepHash.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing");
            }
            return new ObjectMapper().readValue(new GZIPInputStream(in), new TypeReference<>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
