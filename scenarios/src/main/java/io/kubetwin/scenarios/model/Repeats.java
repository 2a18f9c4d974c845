package io.kubetwin.scenarios.model;

import java.util.regex.Pattern;

/**
 * {@code ${repeat N TEXT}} in a request's path, header values, body or raw bytes: TEXT written N times, so that a
 * suite can send a 1 MiB header or JSON nested 100,000 deep without holding it. TEXT runs to the first closing brace
 * that balances its own braces ({@code ${repeat 3 {"op":"test"},}} repeats {@code {"op":"test"},}).
 */
final class Repeats {
    private static final Pattern START = Pattern.compile("\\$\\{repeat (\\d+) ");

    private Repeats() {}

    static String expand(String text) {
        if (text == null || !text.contains("${repeat ")) {
            return text;
        }
        var out = new StringBuilder();
        var m = START.matcher(text);
        int from = 0;
        while (m.find(from)) {
            int depth = 0;
            int end = m.end();
            for (; end < text.length(); end++) {
                char c = text.charAt(end);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && depth-- == 0) {
                    break;
                }
            }
            if (end == text.length()) {
                throw new IllegalArgumentException("unclosed ${repeat ...}: " + text.substring(m.start()));
            }
            out.append(text, from, m.start())
                    .append(text.substring(m.end(), end).repeat(Integer.parseInt(m.group(1))));
            from = end + 1;
        }
        return out.append(text.substring(from)).toString();
    }
}
