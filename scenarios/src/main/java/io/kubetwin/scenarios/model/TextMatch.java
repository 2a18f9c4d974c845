package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * How a piece of text must look: written in YAML either as a plain string (exact match) or as an object with
 * exactly one of {@code exact}, {@code regex} (the whole text must match, DOTALL), {@code contains} or
 * {@code absent: true} (there must be no such text at all, e.g. no {@code Warning} header).
 */
public record TextMatch(Mode mode, String value) {

    public enum Mode {
        EXACT,
        REGEX,
        CONTAINS,
        ABSENT
    }

    public TextMatch {
        if (mode == Mode.REGEX) {
            Pattern.compile(value, Pattern.DOTALL); // fail at load time, not at evaluation
        }
    }

    public static TextMatch exact(String value) {
        return new TextMatch(Mode.EXACT, value);
    }

    public static TextMatch regex(String value) {
        return new TextMatch(Mode.REGEX, value);
    }

    public static TextMatch contains(String value) {
        return new TextMatch(Mode.CONTAINS, value);
    }

    public static TextMatch absent() {
        return new TextMatch(Mode.ABSENT, "");
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TextMatch fromYaml(JsonNode node) {
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            return exact(node.asText());
        }
        if (node.isObject() && node.size() == 1) {
            var field = node.fieldNames().next();
            var text = node.get(field).asText();
            return switch (field) {
                case "exact" -> exact(text);
                case "regex" -> regex(text);
                case "contains" -> contains(text);
                case "absent" -> {
                    if (!node.get(field).asBoolean(false)) {
                        throw new IllegalArgumentException("text match: absent must be true");
                    }
                    yield absent();
                }
                default ->
                    throw new IllegalArgumentException(
                            "text match: unknown mode '" + field + "' (expected exact, regex, contains or absent)");
            };
        }
        throw new IllegalArgumentException("text match: expected a string or {exact|regex|contains: ...}, got " + node);
    }

    public boolean matches(String actual) {
        if (mode == Mode.ABSENT || actual == null) {
            return mode == Mode.ABSENT && actual == null;
        }
        return switch (mode) {
            case EXACT -> value.equals(actual);
            case REGEX -> Pattern.compile(value, Pattern.DOTALL).matcher(actual).matches();
            case CONTAINS -> actual.contains(value);
            case ABSENT -> false;
        };
    }

    @Override
    public String toString() {
        return switch (mode) {
            case EXACT -> value;
            case REGEX -> "regex:" + value;
            case CONTAINS -> "contains:" + value;
            case ABSENT -> "(absent)";
        };
    }
}
