package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Bodies captured from kubectl v1.32 (-v=9) and decoded as kube-apiserver would read them. */
class ProtobufDecoderTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void kubectlCreateConfigMap() {
        byte[] body =
                hex("6b 38 73 00 0a 0f 0a 02 76 31 12 09 43 6f 6e 66 69 67 4d 61 70 12 1d 0a 13 0a 03 63 6d 31 12 00"
                        + "1a 00 22 00 2a 00 32 00 38 00 42 00 12 06 0a 01 61 12 01 62 1a 00 22 00");
        ProtobufDecoder.Decoded d = ProtobufDecoder.decode(body);
        assertEquals("v1", d.apiVersion());
        assertEquals("ConfigMap", d.kind());
        assertEquals(
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"cm1\"},\"data\":{\"a\":\"b\"}}",
                d.object().toString());
    }

    @Test
    void unknownKindsDecodeWithoutObject() {
        byte[] body = hex("6b 38 73 00 0a 0c 0a 02 76 31 12 06 57 69 64 67 65 74 12 00");
        assertNull(ProtobufDecoder.decode(body).object());
    }
}
