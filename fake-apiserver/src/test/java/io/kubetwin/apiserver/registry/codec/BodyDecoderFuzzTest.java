package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.kinds.SecretStrategy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Create/update bodies in JSON and YAML, decoded as {@code registry.handlers.Decoding} decodes them: media type,
 * syntax, apiVersion/kind, string-map types and (for Secrets) base64. Any body gives either an object of the
 * expected Kind or a {@link StatusException} carrying the 4xx Status the client gets; nothing else escapes.
 *
 * <p>Seeds in {@code BodyDecoderFuzzTestInputs/decode}: the first line is the Content-Type, the second the
 * expected core Kind (Pod, Secret or ConfigMap), the rest the body.
 */
class BodyDecoderFuzzTest {
    private static final Set<String> KINDS = Set.of("Pod", "Secret", "ConfigMap");

    @FuzzTest
    @Timeout(10)
    void decode(byte[] input) {
        int first = indexOf(input, 0);
        int second = first < 0 ? -1 : indexOf(input, first + 1);
        String contentType = first < 0 ? "application/json" : text(input, 0, first);
        String kindLine = second < 0 ? "Pod" : text(input, first + 1, second);
        String kind = KINDS.contains(kindLine) ? kindLine : "Pod";
        byte[] body = Arrays.copyOfRange(input, second < 0 ? 0 : second + 1, input.length);
        BodyDecoder.Expected expected = new BodyDecoder.Expected("", "v1", kind, (gv, k) -> KINDS.contains(k));
        try {
            BodyDecoder.checkMediaType(contentType);
            ObjectNode object = BodyDecoder.decode(body, contentType, expected);
            assertEquals("v1", object.path("apiVersion").asText());
            assertEquals(kind, object.path("kind").asText());
            String typeError = GoStringMaps.firstTypeError(object, "", kind, false);
            if (typeError == null && kind.equals("Secret")) {
                SecretStrategy.base64Error(object);
            }
        } catch (StatusException e) {
            assertNotNull(e.status());
            assertTrue(e.code() == 400 || e.code() == 415, () -> e.code() + " " + e.getMessage());
        }
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String text(byte[] data, int from, int to) {
        return new String(data, from, to - from, StandardCharsets.UTF_8).trim();
    }
}
