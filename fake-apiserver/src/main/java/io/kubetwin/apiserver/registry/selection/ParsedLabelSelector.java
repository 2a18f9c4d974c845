package io.kubetwin.apiserver.registry.selection;

import io.kubetwin.apiserver.api.GoStrconv;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.ObjectMetaValidation;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A parsed label selector (labels.Parse): requirements joined by commas, each {@code key},
 * {@code !key}, {@code key=v}, {@code key==v}, {@code key!=v}, {@code key in (a,b)},
 * {@code key notin (a,b)}, {@code key>n}, {@code key<n}. Immutable and thread-safe.
 */
public final class ParsedLabelSelector {

    public enum Operator {
        EXISTS,
        DOES_NOT_EXIST,
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        GREATER_THAN,
        LESS_THAN
    }

    /** One requirement; {@code values} is sorted, as sets.String.List() sorts. */
    public record Requirement(String key, Operator operator, List<String> values) {
        boolean matches(Map<String, String> labels) {
            boolean has = labels.containsKey(key);
            String v = labels.get(key);
            return switch (operator) {
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case EQUALS, IN -> has && values.contains(v);
                case NOT_EQUALS, NOT_IN -> !has || !values.contains(v);
                case GREATER_THAN, LESS_THAN -> {
                    if (!has) {
                        yield false;
                    }
                    try {
                        long actual = Long.parseLong(v);
                        long bound = Long.parseLong(values.get(0));
                        yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                    } catch (NumberFormatException e) {
                        yield false;
                    }
                }
            };
        }
    }

    private static final ParsedLabelSelector EVERYTHING = new ParsedLabelSelector(List.of());
    private final List<Requirement> requirements;

    private ParsedLabelSelector(List<Requirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static ParsedLabelSelector everything() {
        return EVERYTHING;
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public static ParsedLabelSelector parse(String selector) throws SelectorException {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        return new Parser(selector).parse();
    }

    private enum Tok {
        IDENTIFIER,
        DOES_NOT_EXIST,
        EQUALS,
        DOUBLE_EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        OPEN_PAR,
        CLOSED_PAR,
        COMMA,
        GT,
        LT,
        EOS
    }

    private record Token(Tok tok, String literal) {}

    /** Recursive-descent parser over upstream's token stream and messages. */
    private static final class Parser {
        private final List<Token> tokens = new ArrayList<>();
        private int pos;

        /**
         * The Lexer's tokens. Go's lexer reads a NUL byte as its end-of-string marker: one where a token starts
         * ends the scan, one after an identifier or operator is consumed as its end.
         */
        Parser(String input) {
            int i = 0;
            while (i < input.length()) {
                char c = input.charAt(i);
                if (c == '\0') {
                    break;
                } else if (isWhitespace(c)) {
                    i++;
                } else if (c == '!' && i + 1 < input.length() && input.charAt(i + 1) == '=') {
                    tokens.add(new Token(Tok.NOT_EQUALS, "!="));
                    i = skipNul(input, i + 2);
                } else if (c == '=' && i + 1 < input.length() && input.charAt(i + 1) == '=') {
                    tokens.add(new Token(Tok.DOUBLE_EQUALS, "=="));
                    i = skipNul(input, i + 2);
                } else if ("!=(),<>".indexOf(c) >= 0) {
                    Tok t =
                            switch (c) {
                                case '!' -> Tok.DOES_NOT_EXIST;
                                case '=' -> Tok.EQUALS;
                                case '(' -> Tok.OPEN_PAR;
                                case ')' -> Tok.CLOSED_PAR;
                                case ',' -> Tok.COMMA;
                                case '<' -> Tok.LT;
                                default -> Tok.GT;
                            };
                    tokens.add(new Token(t, String.valueOf(c)));
                    i = skipNul(input, i + 1);
                } else {
                    int start = i;
                    while (i < input.length()
                            && input.charAt(i) != '\0'
                            && !isWhitespace(input.charAt(i))
                            && "!=(),<>".indexOf(input.charAt(i)) < 0) {
                        i++;
                    }
                    tokens.add(new Token(Tok.IDENTIFIER, input.substring(start, i)));
                    i = skipNul(input, i);
                }
            }
            tokens.add(new Token(Tok.EOS, ""));
        }

        private static int skipNul(String input, int i) {
            return i < input.length() && input.charAt(i) == '\0' ? i + 1 : i;
        }

        /** isWhitespace of the Go lexer: space, tab, CR and LF only. */
        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        /** In the Values context "in" and "notin" are identifiers; in KeyAndOperator they are keywords. */
        private Token lookahead(boolean keywords) {
            Token t = tokens.get(pos);
            if (keywords && t.tok() == Tok.IDENTIFIER) {
                if (t.literal().equals("in")) {
                    return new Token(Tok.IN, "in");
                }
                if (t.literal().equals("notin")) {
                    return new Token(Tok.NOT_IN, "notin");
                }
            }
            return t;
        }

        private Token consume(boolean keywords) {
            Token t = lookahead(keywords);
            if (pos < tokens.size() - 1) {
                pos++;
            }
            return t;
        }

        ParsedLabelSelector parse() throws SelectorException {
            List<Requirement> out = new ArrayList<>();
            while (true) {
                Token t = lookahead(false);
                switch (t.tok()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        try {
                            out.add(requirement());
                        } catch (SelectorException e) {
                            throw new SelectorException("unable to parse requirement: " + e.getMessage());
                        }
                        Token after = consume(false);
                        if (after.tok() == Tok.EOS) {
                            return new ParsedLabelSelector(out);
                        } else if (after.tok() == Tok.COMMA) {
                            Token next = lookahead(false);
                            if (next.tok() != Tok.IDENTIFIER && next.tok() != Tok.DOES_NOT_EXIST) {
                                throw new SelectorException(
                                        "found '" + next.literal() + "', expected: identifier after ','");
                            }
                        } else {
                            throw new SelectorException(
                                    "found '" + after.literal() + "', expected: ',' or 'end of string'");
                        }
                    }
                    case EOS -> {
                        return new ParsedLabelSelector(out);
                    }
                    default ->
                        throw new SelectorException(
                                "found '" + t.literal() + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement requirement() throws SelectorException {
            Operator op = null;
            Token t = consume(false);
            if (t.tok() == Tok.DOES_NOT_EXIST) {
                op = Operator.DOES_NOT_EXIST;
                t = consume(false);
            }
            if (t.tok() != Tok.IDENTIFIER) {
                throw new SelectorException("found '" + t.literal() + "', expected: identifier");
            }
            String key = t.literal();
            Tok next = lookahead(false).tok();
            if (next == Tok.EOS || next == Tok.COMMA) {
                return newRequirement(key, op == null ? Operator.EXISTS : op, List.of());
            }
            if (op == Operator.DOES_NOT_EXIST) {
                return newRequirement(key, op, List.of());
            }
            Token o = consume(true);
            op = switch (o.tok()) {
                case IN -> Operator.IN;
                case NOT_IN -> Operator.NOT_IN;
                case EQUALS, DOUBLE_EQUALS -> Operator.EQUALS;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                case GT -> Operator.GREATER_THAN;
                case LT -> Operator.LESS_THAN;
                default ->
                    throw new SelectorException("found '" + o.literal() + "', expected: in, notin, =, ==, !=, gt, lt");
            };
            TreeSet<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? values() : exactValue();
            return newRequirement(key, op, new ArrayList<>(values));
        }

        /**
         * labels.NewRequirement's checks for the operators the parser yields (it never passes a value count
         * they refuse): the key (with the parser's nil path, printed {@code <nil>}), Gt/Lt integers, then
         * every value, aggregated.
         */
        private static Requirement newRequirement(String key, Operator op, List<String> values)
                throws SelectorException {
            List<String> errs = new ArrayList<>();
            List<String> keyErrs = ObjectMetaValidation.isQualifiedName(key);
            if (!keyErrs.isEmpty()) {
                errs.add(FieldError.invalid("<nil>", key, String.join("; ", keyErrs))
                        .toString());
            }
            if (op == Operator.GREATER_THAN || op == Operator.LESS_THAN) {
                for (int i = 0; i < values.size(); i++) {
                    try {
                        GoStrconv.parseInt64(values.get(i));
                    } catch (NumberFormatException e) {
                        errs.add(FieldError.invalid(
                                        "values[" + i + "]",
                                        values.get(i),
                                        "for 'Gt', 'Lt' operators, the value must be an integer")
                                .toString());
                    }
                }
            }
            for (int i = 0; i < values.size(); i++) {
                List<String> valueErrs = ObjectMetaValidation.isValidLabelValue(values.get(i));
                if (!valueErrs.isEmpty()) {
                    errs.add(FieldError.invalid(
                                    "values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrs))
                            .toString());
                }
            }
            if (!errs.isEmpty()) {
                throw new SelectorException(GoText.aggregate(errs));
            }
            return new Requirement(key, op, values);
        }

        private TreeSet<String> values() throws SelectorException {
            Token t = consume(false);
            if (t.tok() != Tok.OPEN_PAR) {
                throw new SelectorException("found '" + t.literal() + "' expected: '('");
            }
            Token la = lookahead(false);
            switch (la.tok()) {
                case IDENTIFIER, COMMA -> {
                    TreeSet<String> s = identifiers();
                    if (consume(false).tok() != Tok.CLOSED_PAR) {
                        throw new SelectorException("found '" + la.literal() + "', expected: ')'");
                    }
                    return s;
                }
                case CLOSED_PAR -> {
                    consume(false);
                    TreeSet<String> s = new TreeSet<>();
                    s.add("");
                    return s;
                }
                default ->
                    throw new SelectorException("found '" + la.literal() + "', expected: ',', ')' or identifier");
            }
        }

        private TreeSet<String> identifiers() throws SelectorException {
            TreeSet<String> s = new TreeSet<>();
            while (true) {
                Token t = consume(false);
                if (t.tok() == Tok.IDENTIFIER) {
                    s.add(t.literal());
                    Token n = lookahead(false);
                    if (n.tok() == Tok.COMMA) {
                        continue;
                    }
                    if (n.tok() == Tok.CLOSED_PAR) {
                        return s;
                    }
                    throw new SelectorException("found '" + n.literal() + "', expected: ',' or ')'");
                } else if (t.tok() == Tok.COMMA) {
                    if (s.isEmpty()) {
                        s.add("");
                    }
                    Tok n = lookahead(false).tok();
                    if (n == Tok.CLOSED_PAR) {
                        s.add("");
                        return s;
                    }
                    if (n == Tok.COMMA) {
                        consume(false);
                        s.add("");
                    }
                } else {
                    throw new SelectorException("found '" + t.literal() + "', expected: ',', or identifier");
                }
            }
        }

        private TreeSet<String> exactValue() throws SelectorException {
            TreeSet<String> s = new TreeSet<>();
            Tok la = lookahead(false).tok();
            if (la == Tok.EOS || la == Tok.COMMA) {
                s.add("");
                return s;
            }
            Token t = consume(false);
            if (t.tok() == Tok.IDENTIFIER) {
                s.add(t.literal());
                return s;
            }
            throw new SelectorException("found '" + t.literal() + "', expected: identifier");
        }
    }
}
