package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import org.junit.jupiter.api.Timeout;

/**
 * Kubernetes protobuf ({@code application/vnd.kubernetes.protobuf}) bodies and stored values:
 * {@link ProtobufDecoder#decode} answers the envelope and object or fails with its documented
 * {@link IllegalArgumentException} (the text that becomes the 400's message); through {@link BodyDecoder} the same
 * body gives an object or a {@link StatusException}. Seeds in {@code ProtobufDecoderFuzzTestInputs/decode}: bodies
 * kubectl sent and values kube-apiserver stored.
 */
class ProtobufDecoderFuzzTest {
    @FuzzTest
    @Timeout(10)
    void decode(byte[] body) {
        ProtobufDecoder.Decoded decoded;
        try {
            decoded = ProtobufDecoder.decode(body);
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isEmpty());
            return;
        }
        assertNotNull(decoded.apiVersion());
        assertNotNull(decoded.kind());
        String[] gv = decoded.apiVersion().split("/", 2);
        String group = gv.length == 2 ? gv[0] : "";
        String version = gv.length == 2 ? gv[1] : gv[0];
        if (decoded.object() == null || !ProtobufDecoder.supports(group, decoded.kind())) {
            return;
        }
        BodyDecoder.Expected expected =
                new BodyDecoder.Expected(group, version, decoded.kind(), (v, k) -> k.equals(decoded.kind()));
        try {
            ObjectNode object = BodyDecoder.decode(body, ProtobufDecoder.MEDIA_TYPE, expected);
            assertEquals(decoded.kind(), object.path("kind").asText());
        } catch (StatusException e) {
            assertEquals(400, e.code(), e::getMessage);
        }
    }
}
