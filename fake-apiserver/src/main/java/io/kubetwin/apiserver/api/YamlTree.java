package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.GoText;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.scanner.ScannerException;

/**
 * A policy document as the JSON value kube-apiserver decodes: YAML is first converted as
 * sigs.k8s.io/yaml does (YAML 1.1 scalars: {@code yes} is a boolean, a quoted value a string; the last of
 * duplicate keys wins), JSON (a document starting with <code>{</code>) is parsed as JSON. Keeps the line of
 * duplicate keys, which kube-apiserver reports. Shared by the loaders of kube-apiserver's configuration files
 * (audit policy, encryption configuration), which decode the same way. Stateless and thread-safe.
 */
public final class YamlTree {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private YamlTree() {}

    /** A decoded JSON value. */
    public sealed interface Value permits MapValue, SeqValue, Scalar {}

    /** An object; {@code duplicateLines} are the 1-based lines of keys that were already set. */
    public record MapValue(Map<String, Value> entries, List<String> duplicates) implements Value {}

    public record SeqValue(List<Value> items) implements Value {}

    public enum ScalarKind {
        STRING,
        NUMBER,
        BOOL,
        NULL
    }

    public record Scalar(ScalarKind kind, String text) implements Value {
        public static final Scalar NULL = new Scalar(ScalarKind.NULL, "null");
    }

    /** A syntax error, with the message kube-apiserver prints after {@code failed decoding: }. */
    public static final class SyntaxError extends Exception {
        SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    public static Value parse(String text) throws SyntaxError {
        return looksLikeJson(text) ? parseJson(text) : parseYaml(text);
    }

    /** k8s.io/apimachinery/pkg/util/yaml IsJSONBuffer: the first non-space byte is '{'. */
    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private static Value parseJson(String text) throws SyntaxError {
        try {
            return fromJson(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new SyntaxError("couldn't get version/kind; json parse error: " + goJsonMessage(e));
        }
    }

    private static Value fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Scalar.NULL;
        }
        if (node.isObject()) {
            Map<String, Value> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                entries.put(e.getKey(), fromJson(e.getValue()));
            }
            return new MapValue(entries, List.of());
        }
        if (node.isArray()) {
            List<Value> items = new ArrayList<>();
            node.forEach(n -> items.add(fromJson(n)));
            return new SeqValue(items);
        }
        if (node.isBoolean()) {
            return new Scalar(ScalarKind.BOOL, node.asText());
        }
        if (node.isNumber()) {
            return new Scalar(ScalarKind.NUMBER, node.asText());
        }
        return new Scalar(ScalarKind.STRING, node.asText());
    }

    /** Go's encoding/json syntax error texts for the common cases; Jackson's text otherwise. */
    private static String goJsonMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
            return "unexpected end of JSON input";
        }
        String ch = unexpectedChar(m);
        if (ch != null) {
            if (m.contains("double-quote to start field name")) {
                return "invalid character " + ch + " looking for beginning of object key string";
            }
            if (m.contains("comma to separate Object entries")) {
                return "invalid character " + ch + " after object key:value pair";
            }
            if (m.contains("colon to separate field name and value")) {
                return "invalid character " + ch + " after object key";
            }
            if (m.contains("comma to separate Array entries")) {
                return "invalid character " + ch + " after array element";
            }
            if (m.contains("Trailing token")) {
                return "invalid character " + ch + " after top-level value";
            }
            return "invalid character " + ch + " looking for beginning of value";
        }
        if (m.startsWith("Unrecognized token '") && m.length() > 20) {
            return "invalid character '" + m.charAt(20) + "' looking for beginning of value";
        }
        return m;
    }

    private static String unexpectedChar(String m) {
        int i = m.indexOf("('");
        if ((m.startsWith("Unexpected character") || m.startsWith("Trailing token")) && i >= 0 && i + 3 < m.length()) {
            char c = m.charAt(i + 2);
            return c == '\'' ? "'\\''" : "'" + c + "'";
        }
        return null;
    }

    /**
     * A YAML document (never sniffed as JSON) as sigs.k8s.io/yaml converts it, aliases expanded; a syntax error or
     * go-yaml's {@code yaml: document contains excessive aliasing}.
     */
    public static Value parseYaml(String text) throws SyntaxError {
        String tooDeep = FlowDepth.check(text);
        if (tooDeep != null) {
            throw new SyntaxError(tooDeep);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        // go-yaml reads any tag: one it does not resolve (!!python/object:os.system) leaves the scalar a string
        options.setTagInspector(tag -> true);
        // SnakeYAML's default of 50 would refuse documents go-yaml reads (deep CRD schemas); FlowDepth has go-yaml's
        options.setNestingDepthLimit(1000);
        // SnakeYAML only composes (an alias is a reference to its anchor's node): go-yaml's ratio below decides
        options.setMaxAliasesForCollections(Integer.MAX_VALUE);
        Yaml yaml = new Yaml(options);
        try {
            Iterator<Node> docs = yaml.composeAll(new StringReader(text)).iterator();
            if (!docs.hasNext()) {
                return Scalar.NULL;
            }
            // sigs.k8s.io/yaml reads the first document only; the document node is go-yaml's first decode.
            Expansion expansion = new Expansion();
            expansion.count(false);
            Value value = expansion.fromYaml(docs.next(), false);
            if (expansion.keyError != null) {
                // sigs.k8s.io/yaml convertToJSONableObject, after go-yaml decoded the whole document
                throw new SyntaxError(expansion.keyError);
            }
            return value;
        } catch (ExcessiveAliasing e) {
            throw new SyntaxError("yaml: document contains excessive aliasing");
        } catch (DecodeFailure e) {
            throw new SyntaxError("yaml: " + e.getMessage());
        } catch (MarkedYAMLException e) {
            throw new SyntaxError(goYamlMessage(e));
        } catch (RuntimeException e) {
            throw new SyntaxError("yaml: " + e.getMessage());
        }
    }

    /** go-yaml's decoder failf: a message printed after {@code yaml: }. */
    private static final class DecodeFailure extends RuntimeException {
        DecodeFailure(String message) {
            super(message, null, false, false);
        }
    }

    private static final class ExcessiveAliasing extends RuntimeException {
        ExcessiveAliasing() {
            super(null, null, false, false);
        }
    }

    /**
     * go-yaml v2's guard against alias bombs (decode.go unmarshal and allowedAliasRatio): every node decoded counts,
     * nodes decoded inside an alias's expansion count as aliased too, and past 100 aliased and 1,000 decoded nodes
     * the aliased share may not exceed 99% (up to 400,000 decodes), falling linearly to 10% at 4,000,000.
     * SnakeYAML resolves an alias to its anchor's node, so a node met again is an alias.
     */
    private static final class Expansion {
        private final java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        // the anchors whose value is being expanded through an alias (decode.go d.aliases)
        private final java.util.Set<Node> expanding =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private long decodes;
        private long aliased;
        /** The first key sigs.k8s.io/yaml cannot turn into a JSON key (null, a uint64), in document order. */
        String keyError;

        void count(boolean inAlias) {
            decodes++;
            if (inAlias) {
                aliased++;
            }
            if (aliased > 100 && decodes > 1000 && (double) aliased / decodes > allowedAliasRatio(decodes)) {
                throw new ExcessiveAliasing();
            }
        }

        private static double allowedAliasRatio(long decodes) {
            long low = 400_000;
            long high = 4_000_000;
            if (decodes <= low) {
                return 0.99;
            }
            if (decodes >= high) {
                return 0.10;
            }
            return 0.99 - 0.89 * ((double) (decodes - low) / (high - low));
        }

        Value fromYaml(Node node, boolean inAlias) {
            if (node.getAnchor() != null && !seen.add(node)) {
                // an alias: go-yaml decodes the alias node, then its anchor's value as aliased
                if (!expanding.add(node)) {
                    throw new DecodeFailure("anchor '" + node.getAnchor() + "' value contains itself");
                }
                count(inAlias);
                count(true);
                try {
                    return convert(node, true);
                } finally {
                    expanding.remove(node);
                }
            }
            count(inAlias);
            return convert(node, inAlias);
        }

        /** decode.go isMerge: a plain (or !!merge tagged) {@code <<} key. */
        private static boolean isMerge(Node key) {
            return key instanceof ScalarNode s
                    && s.getValue().equals("<<")
                    && (s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN
                            || Tag.MERGE.equals(s.getTag()));
        }

        /**
         * decode.go merge: a mapping, an alias of one, or a sequence of them (the last first, so earlier ones win)
         * decoded into the map being built, in document order with its own keys.
         */
        private void merge(Node value, boolean inAlias, Map<String, Value> entries, List<String> duplicates) {
            List<Node> sources = new ArrayList<>();
            if (value instanceof MappingNode) {
                sources.add(value);
            } else if (value instanceof SequenceNode seq) {
                List<Node> items = new ArrayList<>(seq.getValue());
                java.util.Collections.reverse(items);
                sources.addAll(items);
            } else {
                throw new DecodeFailure("map merge requires map or sequence of maps as the value");
            }
            for (Node source : sources) {
                if (!(source instanceof MappingNode)) {
                    throw new DecodeFailure("map merge requires map or sequence of maps as the value");
                }
                if (fromYaml(source, inAlias) instanceof MapValue m) {
                    entries.putAll(m.entries());
                    duplicates.addAll(m.duplicates());
                }
            }
        }

        /**
         * The JSON key sigs.k8s.io/yaml makes of a decoded key (convertToJSONableObject): strings as they are, ints
         * in decimal, floats as strconv 'g' at 32 bits, bools as true/false; a null is its error (kept for after
         * the decode); a sequence or mapping is go-yaml's own {@code invalid map key} at once.
         */
        private String jsonKey(Value key, Value value) {
            if (key instanceof SeqValue || key instanceof MapValue) {
                throw new DecodeFailure("invalid map key: " + goSharpV(key));
            }
            Scalar k = (Scalar) key;
            return switch (k.kind()) {
                case STRING -> k.text();
                case BOOL -> k.text();
                case NUMBER -> {
                    JsonNode n = number(k.text());
                    if (!n.isNumber()) {
                        yield k.text(); // SnakeYAML's YAML 1.1 base-60 and the like, strings to go-yaml
                    }
                    if (n.isIntegralNumber()) {
                        yield n.bigIntegerValue().toString();
                    }
                    yield switch (GoStrconv.formatFloatG32((float) n.doubleValue())) {
                        case "+Inf" -> ".inf";
                        case "-Inf" -> "-.inf";
                        case "NaN" -> ".nan";
                        default -> GoStrconv.formatFloatG32((float) n.doubleValue());
                    };
                }
                case NULL -> {
                    if (keyError == null) {
                        keyError = "unsupported map key of type: %!s(<nil>), key: <nil>, value: " + goSharpV(value);
                    }
                    yield "";
                }
            };
        }

        private Value convert(Node node, boolean inAlias) {
            if (node instanceof MappingNode map) {
                Map<String, Value> entries = new LinkedHashMap<>();
                List<String> duplicates = new ArrayList<>();
                for (NodeTuple t : map.getValue()) {
                    if (isMerge(t.getKeyNode())) {
                        merge(t.getValueNode(), inAlias, entries, duplicates);
                        continue;
                    }
                    Value keyValue = fromYaml(t.getKeyNode(), inAlias);
                    if (keyValue instanceof SeqValue || keyValue instanceof MapValue) {
                        jsonKey(keyValue, null);
                    }
                    Value value = fromYaml(t.getValueNode(), inAlias);
                    String key = jsonKey(keyValue, value);
                    if (entries.containsKey(key)) {
                        duplicates.add("line " + (t.getKeyNode().getStartMark().getLine() + 1) + ": key "
                                + GoText.quote(key) + " already set in map");
                    }
                    entries.put(key, value);
                }
                return new MapValue(entries, duplicates);
            }
            if (node instanceof SequenceNode seq) {
                List<Value> items = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    items.add(fromYaml(n, inAlias));
                }
                return new SeqValue(items);
            }
            ScalarNode scalar = (ScalarNode) node;
            Tag tag = scalar.getTag();
            if (Tag.NULL.equals(tag)) {
                return Scalar.NULL;
            }
            if (Tag.STR.equals(tag)
                    && scalar.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN
                    && (scalar.getValue().equals("y")
                            || scalar.getValue().equals("Y")
                            || scalar.getValue().equals("n")
                            || scalar.getValue().equals("N"))) {
                // go-yaml v2's YAML 1.1 booleans include y and n, which SnakeYAML leaves strings
                return new Scalar(ScalarKind.BOOL, scalar.getValue().equalsIgnoreCase("y") ? "true" : "false");
            }
            if (Tag.BOOL.equals(tag)) {
                String v = scalar.getValue().toLowerCase(Locale.ROOT);
                return new Scalar(
                        ScalarKind.BOOL, v.equals("yes") || v.equals("true") || v.equals("on") ? "true" : "false");
            }
            if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                return new Scalar(ScalarKind.NUMBER, scalar.getValue());
            }
            // Timestamps stay strings when converted to JSON, as with sigs.k8s.io/yaml.
            return new Scalar(ScalarKind.STRING, scalar.getValue());
        }
    }

    /** fmt's %#v of a value go-yaml decoded into interface{} ({@code []interface {}{"a", "b"}}). */
    static String goSharpV(Value v) {
        if (v instanceof SeqValue seq) {
            List<String> items = new ArrayList<>();
            seq.items().forEach(i -> items.add(goSharpV(i)));
            return "[]interface {}{" + String.join(", ", items) + "}";
        }
        if (v instanceof MapValue m) {
            List<String> items = new ArrayList<>();
            new java.util.TreeMap<>(m.entries()).forEach((k, val) -> items.add(GoText.quote(k) + ":" + goSharpV(val)));
            return "map[interface {}]interface {}{" + String.join(", ", items) + "}";
        }
        Scalar s = (Scalar) v;
        return switch (s.kind()) {
            case STRING -> GoText.quote(s.text());
            case NULL -> "interface {}(nil)";
            case BOOL -> s.text();
            case NUMBER -> {
                JsonNode n = number(s.text());
                yield !n.isNumber()
                        ? GoText.quote(s.text())
                        : n.isIntegralNumber()
                                ? n.bigIntegerValue().toString()
                                : GoStrconv.formatFloatG(n.doubleValue());
            }
        };
    }

    /**
     * go-yaml's scanner limit on flow nesting (yaml_parser_increase_flow_level: more than 10,000 open {@code [} or
     * {@code &#123;} is {@code line N: exceeded max depth of 10000}, N the line of the one too many), checked before
     * SnakeYAML composes the document. Quoted scalars and comments are skipped; a bracket inside a block-context
     * plain scalar is taken as an opener, which only matters past 10,000 of them.
     */
    private static final class FlowDepth {
        private static final int MAX = 10000;

        static String check(String text) {
            int level = 0;
            int line = 1;
            char prev = '\n';
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    line++;
                } else if (c == '#' && Character.isWhitespace(prev)) {
                    while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                        i++;
                    }
                } else if (c == '"' && tokenStart(prev)) {
                    for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
                        if (text.charAt(i) == '\\') {
                            i++;
                        } else if (text.charAt(i) == '\n') {
                            line++;
                        }
                    }
                } else if (c == '\'' && tokenStart(prev)) {
                    for (i++; i < text.length() && text.charAt(i) != '\''; i++) {
                        if (text.charAt(i) == '\n') {
                            line++;
                        }
                    }
                } else if (c == '[' || c == '{') {
                    if (++level > MAX) {
                        return "yaml: line " + line + ": exceeded max depth of " + MAX;
                    }
                } else if ((c == ']' || c == '}') && level > 0) {
                    level--;
                }
                prev = i < text.length() ? text.charAt(i) : c;
            }
            return null;
        }

        private static boolean tokenStart(char prev) {
            return Character.isWhitespace(prev) || prev == '[' || prev == '{' || prev == ',' || prev == ':';
        }
    }

    /**
     * The JSON sigs.k8s.io/yaml writes for a value: go-yaml's YAML 1.1 integers (signs, {@code _}, {@code 0x},
     * {@code 0o}, {@code 0b} and a leading {@code 0} for octal) as JSON integers, floats as Go prints a float64.
     */
    /**
     * The duplicate keys of a decoded document ({@code line 5: key "name" already set in map}), as go-yaml's strict
     * decoding lists them after {@code yaml: unmarshal errors:}.
     */
    public static List<String> duplicateKeys(Value value) {
        List<String> out = new ArrayList<>();
        collectDuplicates(value, out);
        return out;
    }

    private static void collectDuplicates(Value v, List<String> out) {
        if (v instanceof MapValue m) {
            out.addAll(m.duplicates());
            m.entries().values().forEach(child -> collectDuplicates(child, out));
        } else if (v instanceof SeqValue s) {
            s.items().forEach(child -> collectDuplicates(child, out));
        }
    }

    public static JsonNode toJsonNode(Value value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof MapValue m) {
            ObjectNode o = f.objectNode();
            m.entries().forEach((k, v) -> o.set(k, toJsonNode(v)));
            return o;
        }
        if (value instanceof SeqValue seq) {
            ArrayNode a = f.arrayNode();
            seq.items().forEach(v -> a.add(toJsonNode(v)));
            return a;
        }
        Scalar scalar = (Scalar) value;
        return switch (scalar.kind()) {
            case NULL -> f.nullNode();
            case BOOL -> f.booleanNode(Boolean.parseBoolean(scalar.text()));
            case STRING -> f.textNode(scalar.text());
            case NUMBER -> number(scalar.text());
        };
    }

    /** As Jackson reads a JSON integer: an int, a long, or a big integer, by size. */
    private static JsonNode integer(java.math.BigInteger n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n.bitLength() < 32) {
            return f.numberNode(n.intValue());
        }
        return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
    }

    private static JsonNode number(String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        String digits = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        try {
            java.math.BigInteger n;
            if (digits.startsWith("0x")) {
                n = new java.math.BigInteger(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                n = new java.math.BigInteger(digits.substring(2), 8);
            } else if (digits.startsWith("0b")) {
                n = new java.math.BigInteger(digits.substring(2), 2);
            } else if (digits.length() > 1
                    && digits.startsWith("0")
                    && digits.chars().allMatch(Character::isDigit)) {
                n = new java.math.BigInteger(digits.substring(1), 8);
            } else {
                n = new java.math.BigInteger(digits);
            }
            return integer(negative ? n.negate() : n);
        } catch (NumberFormatException notAnInteger) {
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(t);
                return d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(java.math.BigDecimal.valueOf(1e21)) < 0
                        ? integer(d.toBigIntegerExact())
                        : f.numberNode(d.doubleValue());
            } catch (NumberFormatException | ArithmeticException e) {
                return f.textNode(text);
            }
        }
    }

    /**
     * go-yaml's message for the syntax errors people make; the SnakeYAML text otherwise. go-yaml prints
     * the 1-based line of scanner errors and omits it on the first line.
     */
    private static String goYamlMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
        if (problem.startsWith("mapping values are not allowed")) {
            problem = "mapping values are not allowed in this context";
        } else if (problem.startsWith("found character") && problem.contains("that cannot start any token")) {
            problem = "found character that cannot start any token";
        } else if (problem.startsWith("expected the node content")) {
            problem = "did not find expected node content";
        } else if (problem.startsWith("expected ',' or '}'")) {
            problem = "did not find expected ',' or '}'";
        } else if (problem.startsWith("expected ',' or ']'")) {
            problem = "did not find expected ',' or ']'";
        } else if (problem.startsWith("expected <block end>")) {
            String context = e.getContext() == null ? "" : e.getContext();
            problem = context.contains("block mapping")
                    ? "did not find expected key"
                    : "did not find expected '-' indicator";
        } else if (problem.startsWith("found undefined alias ")) {
            // decode.go: the parser does not check aliases, the decoder fails without a line
            return "yaml: unknown anchor '" + problem.substring("found undefined alias ".length()) + "' referenced";
        }
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        int line = mark == null ? 0 : mark.getLine();
        String raw = e.getProblem() == null ? "" : e.getProblem();
        if (mark != null && raw.contains("<stream end>") && mark.getColumn() != 0) {
            // libyaml's scanner puts the stream end on a new line when the last line has no break
            line++;
        }
        if (e instanceof ScannerException && line != 0) {
            line++;
        } else if (!(e instanceof ScannerException) && line == 0 && e.getContextMark() != null) {
            // parser.go fail: the context's line when the problem is on the first line
            line = e.getContextMark().getLine();
        }
        return line == 0 ? "yaml: " + problem : "yaml: line " + line + ": " + problem;
    }
}
