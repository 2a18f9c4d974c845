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

    /**
     * fields.ParseSelector: terms split on unescaped commas and sorted, each split at the first operator
     * ({@code !=}, {@code ==}, {@code =} tried at every position, no escapes on the left), the value
     * unescaped by UnescapeValue with its errors.
     */
    public static FieldSelector parse(String selector) throws SelectorException {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(selector);
        parts.sort(null); // UTF-16 order: Go compares bytes, which differs only above U+E000 against surrogates
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            Term term = splitTerm(part);
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

    private static Term splitTerm(String part) throws SelectorException {
        for (int i = 0; i < part.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (part.startsWith(op, i)) {
                    return new Term(part.substring(0, i), unescape(part.substring(i + op.length())), op.equals("!="));
                }
            }
        }
        return null;
    }

    /** fields.UnescapeValue: only {@code \\}, {@code \,} and {@code \=} escapes; a bare ',' or '=' is refused. */
    private static String unescape(String s) throws SelectorException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 == s.length()) {
                    throw new SelectorException("invalid field selector: invalid escape sequence: \\");
                }
                int next = s.codePointAt(++i);
                if (next != '\\' && next != ',' && next != '=') {
                    throw new SelectorException("invalid field selector: invalid escape sequence: \\"
                            + new String(Character.toChars(next)));
                }
                b.append((char) next);
            } else if (c == ',' || c == '=') {
                // Go prints the rune with %v: its code point
                throw new SelectorException("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
