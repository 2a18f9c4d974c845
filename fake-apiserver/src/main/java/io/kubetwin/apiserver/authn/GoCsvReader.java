package io.kubetwin.apiserver.authn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's encoding/csv Reader with the settings the token file uses (comma separator, no comment character,
 * strict quotes, variable field count), so that a file kube-apiserver rejects is rejected here with the
 * same error text. Works on bytes because Go's columns are 1-based byte indexes. Not thread-safe: one
 * reader per file.
 */
final class GoCsvReader {
    static final String ERR_BARE_QUOTE = "bare \" in non-quoted-field";
    static final String ERR_QUOTE = "extraneous or missing \" in quoted-field";

    /** csv.ParseError, whose message is what kube-apiserver prints at start-up. */
    static final class ParseException extends Exception {
        ParseException(int startLine, int line, int column, String err) {
            super(
                    startLine != line
                            ? "record on line " + startLine + "; parse error on line " + line + ", column " + column
                                    + ": " + err
                            : "parse error on line " + line + ", column " + column + ": " + err,
                    null,
                    false,
                    false);
        }
    }

    private final byte[] data;
    private int offset;
    private int numLine;

    GoCsvReader(byte[] data) {
        this.data = data;
    }

    /** One line with its trailing newline ({@code \r\n} normalised to {@code \n}); null at end of input. */
    private byte[] readLine() {
        numLine++;
        if (offset >= data.length) {
            return null;
        }
        int nl = indexOf(data, offset, data.length, (byte) '\n');
        byte[] line;
        if (nl >= 0) {
            line = Arrays.copyOfRange(data, offset, nl + 1);
            offset = nl + 1;
        } else {
            line = Arrays.copyOfRange(data, offset, data.length);
            offset = data.length;
            // like Go, drop a trailing \r before end of input
            if (line[line.length - 1] == '\r') {
                line = Arrays.copyOf(line, line.length - 1);
            }
        }
        int n = line.length;
        if (n >= 2 && line[n - 2] == '\r' && line[n - 1] == '\n') {
            line = Arrays.copyOf(line, n - 1);
            line[n - 2] = '\n';
        }
        return line;
    }

    private static int lengthNL(byte[] b, int from) {
        return b.length > from && b[b.length - 1] == '\n' ? 1 : 0;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The next record, or null at end of input. */
    List<String> read() throws ParseException {
        byte[] line;
        while (true) {
            line = readLine();
            if (line == null) {
                return null;
            }
            if (line.length != lengthNL(line, 0)) {
                break; // blank lines are skipped
            }
        }
        int recLine = numLine;
        int posLine = numLine;
        int col = 1;
        int p = 0; // start of the unparsed rest of line
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        List<String> record = new ArrayList<>();
        parseField:
        while (true) {
            if (p == line.length || line[p] != '"') {
                int comma = indexOf(line, p, line.length, (byte) ',');
                int end = comma >= 0 ? comma : line.length - lengthNL(line, p);
                int quote = indexOf(line, p, end, (byte) '"');
                if (quote >= 0) {
                    throw new ParseException(recLine, numLine, col + (quote - p), ERR_BARE_QUOTE);
                }
                record.add(new String(line, p, end - p, StandardCharsets.UTF_8));
                if (comma >= 0) {
                    col += comma - p + 1;
                    p = comma + 1;
                    continue;
                }
                break;
            }
            // quoted field
            p++;
            col++;
            field.reset();
            while (true) {
                int quote = indexOf(line, p, line.length, (byte) '"');
                if (quote >= 0) {
                    field.write(line, p, quote - p);
                    col += quote - p + 1;
                    p = quote + 1;
                    if (p < line.length && line[p] == '"') {
                        field.write('"');
                        p++;
                        col++;
                    } else if (p < line.length && line[p] == ',') {
                        p++;
                        col++;
                        record.add(field.toString(StandardCharsets.UTF_8));
                        continue parseField;
                    } else if (line.length - p == lengthNL(line, p)) {
                        record.add(field.toString(StandardCharsets.UTF_8));
                        break parseField;
                    } else {
                        throw new ParseException(recLine, numLine, col - 1, ERR_QUOTE);
                    }
                } else if (p < line.length) {
                    // the quoted field goes on over the next line
                    field.write(line, p, line.length - p);
                    col += line.length - p;
                    byte[] next = readLine();
                    line = next == null ? new byte[0] : next;
                    p = 0;
                    if (line.length > 0) {
                        posLine++;
                        col = 1;
                    }
                } else {
                    throw new ParseException(recLine, posLine, col, ERR_QUOTE);
                }
            }
        }
        return record;
    }
}
