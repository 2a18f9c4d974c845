package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * kubectl arguments (without {@code kubectl} itself and without {@code --kubeconfig}, which the runner adds),
 * plus optional standard input. YAML: a string split like a shell would (single and double quotes group), a
 * list of arguments, or {@code {args: ..., stdin: ...}}.
 */
public record KubectlCommand(List<String> args, String stdin) {
    public KubectlCommand {
        args = List.copyOf(args);
        if (!args.isEmpty() && args.get(0).equals("kubectl")) {
            args = args.subList(1, args.size());
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static KubectlCommand fromYaml(JsonNode node) {
        if (node.isTextual()) {
            return new KubectlCommand(split(node.asText()), null);
        }
        if (node.isArray()) {
            var args = new ArrayList<String>();
            node.forEach(n -> args.add(n.asText()));
            return new KubectlCommand(args, null);
        }
        if (node.isObject() && node.has("args")) {
            var inner = fromYaml(node.get("args"));
            return new KubectlCommand(
                    inner.args(),
                    node.path("stdin").isMissingNode()
                            ? null
                            : node.get("stdin").asText());
        }
        throw new IllegalArgumentException("kubectl: expected a string, a list or {args, stdin}: " + node);
    }

    /** Splits a command line on blanks, honouring single and double quotes (no escapes, no expansion). */
    static List<String> split(String line) {
        var out = new ArrayList<String>();
        var current = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("kubectl: unbalanced quote in " + line);
        }
        if (inToken) {
            out.add(current.toString());
        }
        return out;
    }
}
