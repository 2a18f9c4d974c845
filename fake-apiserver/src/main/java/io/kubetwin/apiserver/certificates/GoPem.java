package io.kubetwin.apiserver.certificates;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PEM decoding with the leniency of Go's encoding/pem Decode, which CSR validation relies on: text
 * before, between and after blocks is skipped, and a block whose body is not valid base64 is passed
 * over in favour of the next one. Stateless.
 */
final class GoPem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String DASHES = "-----";

    /** One block: its type, its "Key: Value" headers, and the decoded body. */
    record Block(String type, Map<String, String> headers, byte[] bytes) {}

    private GoPem() {}

    /** The first decodable block, as pem.Decode answers it; empty when there is none. */
    static Optional<Block> first(byte[] data) {
        List<Block> all = all(data, 1);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every decodable block in order, as repeated pem.Decode calls find them. */
    static List<Block> all(byte[] data) {
        return all(data, Integer.MAX_VALUE);
    }

    private static List<Block> all(byte[] data, int max) {
        // ISO-8859-1 keeps one char per byte, so indexes stay byte offsets
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<Block> out = new ArrayList<>();
        int from = 0;
        while (out.size() < max) {
            int begin = nextBegin(text, from);
            if (begin < 0) {
                break;
            }
            int lineEnd = text.indexOf('\n', begin);
            String typeLine = (lineEnd < 0 ? text.substring(begin) : text.substring(begin, lineEnd)).stripTrailing();
            from = begin + BEGIN.length();
            if (lineEnd < 0 || !typeLine.endsWith(DASHES) || typeLine.length() < BEGIN.length() + DASHES.length()) {
                continue;
            }
            String type = typeLine.substring(BEGIN.length(), typeLine.length() - DASHES.length());
            String endMarker = "-----END " + type + DASHES;
            int end = text.indexOf(endMarker, lineEnd);
            if (end < 0) {
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder();
            boolean inHeaders = true;
            for (String line : text.substring(lineEnd + 1, end).split("\n", -1)) {
                String l = line.strip();
                if (inHeaders && l.contains(":")) {
                    headers.put(
                            l.substring(0, l.indexOf(':')).strip(),
                            l.substring(l.indexOf(':') + 1).strip());
                    continue;
                }
                inHeaders = false;
                body.append(l);
            }
            try {
                out.add(new Block(type, headers, Base64.getDecoder().decode(body.toString())));
                from = end + endMarker.length();
            } catch (IllegalArgumentException notBase64) {
                // pem.Decode skips a malformed block and keeps looking
            }
        }
        return out;
    }

    private static int nextBegin(String text, int from) {
        int i = text.indexOf(BEGIN, from);
        while (i > 0 && text.charAt(i - 1) != '\n') {
            i = text.indexOf(BEGIN, i + 1);
        }
        return i;
    }
}
