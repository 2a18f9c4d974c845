package io.kubetwin.apiserver.registry.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed field selector (fields.ParseSelector): terms {@code key=value}, {@code key==value} or
 * {@code key!=value} joined by commas, with {@code \,}, {@code \=} and {@code \\} escapes in values.
 * Immutable and thread-safe.
 */
public final class FieldSelector {

    /** One term. */
    public record Term(String field, String value, boolean negated) {}

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    /** A selector of the given terms (e.g. after field label conversion). */
    public static FieldSelector of(List<Term> terms) {
        return terms.isEmpty() ? EVERYTHING : new FieldSelector(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    public List<Term> terms() {
        return terms;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** Matches against the object's selectable fields; a field missing from {@code fields} reads as "". */
    public boolean matches(Map<String, String> fields) {
        for (Term t : terms) {
            String actual = fields.getOrDefault(t.field(), "");
            if (t.negated() == actual.equals(t.value())) {
                return false;
            }
        }
        return true;
    }

    /** The value a term requires for {@code field} with "=", if any (used for metadata.name lookups). */
    public String exactValue(String field) {
        for (Term t : terms) {
            if (!t.negated() && t.field().equals(field)) {
                return t.value();
            }
        }
        return null;
    }

    public static FieldSelector parse(String selector) throws SelectorException {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitTerms(selector)) {
            if (part.isEmpty()) {
                continue;
            }
            Term term = null;
            for (String op : new String[] {"!=", "==", "="}) {
                int at = indexOfUnescaped(part, op);
                if (at >= 0) {
                    String field = part.substring(0, at);
                    String value = unescape(part.substring(at + op.length()));
                    term = new Term(field, value, op.equals("!="));
                    break;
                }
            }
            if (term == null) {
                throw new SelectorException("invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            terms.add(term);
        }
        return new FieldSelector(terms);
    }

    private static List<String> splitTerms(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                cur.append(c).append(s.charAt(++i));
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static int indexOfUnescaped(String s, String op) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
                continue;
            }
            if (s.startsWith(op, i)) {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
