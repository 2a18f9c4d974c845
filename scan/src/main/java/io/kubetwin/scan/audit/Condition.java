package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule condition in Falco's condition syntax (falco.org, "Conditions"): {@code and}, {@code or}, {@code not},
 * parentheses, macros by name, and comparisons of the {@link AuditField}s with {@code = != in intersects contains
 * icontains startswith endswith regex exists}. A comparison on a field with several values holds when it holds for
 * one of them; a field an event lacks compares as the empty string ({@code exists} is false). {@code in} and
 * {@code intersects} take {@code (a, b, ...)} or a list's name. Parsing fails with {@link RuleFileException} naming the
 * offending token and its position.
 */
public final class Condition {
    private static final Pattern TOKEN =
            Pattern.compile("\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|!=|=|\\(|\\)|,|[^\\s(),=!\"']+)");
    private static final Set<String> OPERATORS =
            Set.of("=", "!=", "in", "intersects", "contains", "icontains", "startswith", "endswith", "regex", "exists");

    private final Predicate<JsonNode> test;
    private final SortedSet<String> fields;

    private Condition(Predicate<JsonNode> test, Set<String> fields) {
        this.test = test;
        this.fields = Collections.unmodifiableSortedSet(new TreeSet<>(fields));
    }

    public boolean test(JsonNode event) {
        return test.test(event);
    }

    /** The fields the condition reads (macros expanded), sorted. */
    public SortedSet<String> fields() {
        return fields;
    }

    /** The lowest audit level whose events carry every field read. */
    public AuditLevel needs() {
        var level = AuditLevel.Metadata;
        for (var f : fields) {
            var needs = AuditField.ALL.get(f).needs();
            if (needs.compareTo(level) > 0) {
                level = needs;
            }
        }
        return level;
    }

    /**
     * Parses {@code text}; {@code macros} are conditions already parsed, {@code lists} named item lists.
     *
     * @throws RuleFileException on a syntax error, an unknown field, macro or list
     */
    public static Condition parse(String text, Map<String, Condition> macros, Map<String, List<String>> lists) {
        var parser = new Parser(text, macros, lists);
        var test = parser.or();
        if (parser.pos < parser.tokens.size()) {
            throw parser.error("unexpected " + parser.peek());
        }
        return new Condition(test, parser.fields);
    }

    private static final class Parser {
        final String text;
        final List<String> tokens = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        final Map<String, Condition> macros;
        final Map<String, List<String>> lists;
        final Set<String> fields = new TreeSet<>();
        int pos;

        Parser(String text, Map<String, Condition> macros, Map<String, List<String>> lists) {
            this.text = text;
            this.macros = macros;
            this.lists = lists;
            var m = TOKEN.matcher(text);
            int at = 0;
            while (at < text.length() && !text.substring(at).isBlank()) {
                if (!m.find(at) || m.start() != at) {
                    throw new RuleFileException("condition: cannot read \""
                            + text.substring(at).strip() + "\" at " + (at + 1) + " in: " + text);
                }
                tokens.add(m.group(1));
                offsets.add(m.start(1));
                at = m.end();
            }
        }

        String peek() {
            return pos < tokens.size() ? tokens.get(pos) : null;
        }

        String next() {
            if (pos >= tokens.size()) {
                throw error("unexpected end");
            }
            return tokens.get(pos++);
        }

        boolean accept(String token) {
            if (token.equals(peek())) {
                pos++;
                return true;
            }
            return false;
        }

        RuleFileException error(String what) {
            int at = pos < offsets.size() ? offsets.get(pos) + 1 : text.length() + 1;
            return new RuleFileException("condition: " + what + " at " + at + " in: " + text);
        }

        Predicate<JsonNode> or() {
            var left = and();
            while (accept("or")) {
                var l = left;
                var r = and();
                left = e -> l.test(e) || r.test(e);
            }
            return left;
        }

        Predicate<JsonNode> and() {
            var left = unary();
            while (accept("and")) {
                var l = left;
                var r = unary();
                left = e -> l.test(e) && r.test(e);
            }
            return left;
        }

        Predicate<JsonNode> unary() {
            if (accept("not")) {
                return unary().negate();
            }
            if (accept("(")) {
                var inner = or();
                if (!accept(")")) {
                    throw error("expected )");
                }
                return inner;
            }
            if (peek() == null) {
                throw error("unexpected end");
            }
            var name = peek();
            if (macros.containsKey(name)) {
                pos++;
                var macro = macros.get(name);
                fields.addAll(macro.fields());
                return macro::test;
            }
            if (!AuditField.ALL.containsKey(name)) {
                throw error(
                        name.matches("[a-z]+\\..*")
                                ? "unknown field " + name + " (known: " + String.join(", ", AuditField.ALL.keySet())
                                        + ")"
                                : "unknown macro or field " + name);
            }
            pos++;
            fields.add(name);
            return comparison(AuditField.ALL.get(name));
        }

        Predicate<JsonNode> comparison(AuditField field) {
            var op = peek();
            if (op == null || !OPERATORS.contains(op)) {
                throw error("expected an operator after " + field.name() + " (one of " + OPERATORS + ")");
            }
            pos++;
            if (op.equals("exists")) {
                return e -> !field.values().apply(e).isEmpty();
            }
            if (op.equals("in") || op.equals("intersects")) {
                var set = Set.copyOf(items());
                return e -> present(field, e).stream().anyMatch(set::contains);
            }
            var operand = value(next());
            return switch (op) {
                case "=" -> e -> present(field, e).contains(operand);
                case "!=" -> e -> present(field, e).stream().anyMatch(v -> !v.equals(operand));
                case "contains" -> e -> present(field, e).stream().anyMatch(v -> v.contains(operand));
                case "icontains" ->
                    e -> present(field, e).stream()
                            .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(operand.toLowerCase(Locale.ROOT)));
                case "startswith" -> e -> present(field, e).stream().anyMatch(v -> v.startsWith(operand));
                case "endswith" -> e -> present(field, e).stream().anyMatch(v -> v.endsWith(operand));
                default -> {
                    Pattern p;
                    try {
                        p = Pattern.compile(operand);
                    } catch (RuntimeException ex) {
                        throw error("bad regex " + operand + ": " + ex.getMessage());
                    }
                    yield e -> present(field, e).stream()
                            .anyMatch(v -> p.matcher(v).matches());
                }
            };
        }

        /** {@code (a, b)} or a list's name; a list's name inside the parentheses is expanded too. */
        List<String> items() {
            var out = new ArrayList<String>();
            if (!accept("(")) {
                var name = next();
                if (!lists.containsKey(name)) {
                    throw error("expected ( or a list name, got " + name);
                }
                return lists.get(name);
            }
            while (!accept(")")) {
                var item = next();
                if (lists.containsKey(item)) {
                    out.addAll(lists.get(item));
                } else {
                    out.add(value(item));
                }
                if (!accept(",") && !")".equals(peek())) {
                    throw error("expected , or )");
                }
            }
            return out;
        }

        String value(String token) {
            if (token.equals("(") || token.equals(")") || token.equals(",")) {
                throw error("expected a value, got " + token);
            }
            if (token.length() >= 2
                    && (token.startsWith("\"") && token.endsWith("\"")
                            || token.startsWith("'") && token.endsWith("'"))) {
                return token.substring(1, token.length() - 1)
                        .replace("\\\"", "\"")
                        .replace("\\\\", "\\");
            }
            return token;
        }
    }

    /** The field's values, or the empty string when the event lacks it. */
    private static List<String> present(AuditField field, JsonNode e) {
        var values = field.values().apply(e);
        return values.isEmpty() ? List.of("") : values;
    }
}
