package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Protobuf request bodies, with a body recorded from kubectl v1.32 (`kubectl certificate approve`, -v=9). */
class ProtobufDecoderRecordedTest {

    private static byte[] recorded() throws Exception {
        try (InputStream in =
                ProtobufDecoderRecordedTest.class.getResourceAsStream("/golden/certificates/kubectl-approve-csr.pb")) {
            return in.readAllBytes();
        }
    }

    @Test
    void decodesTheCsrKubectlSendsToTheApprovalSubresource() throws Exception {
        ObjectNode csr = ProtobufDecoder.decode(recorded()).object();
        assertEquals("CertificateSigningRequest", csr.get("kind").asText());
        assertEquals("certificates.k8s.io/v1", csr.get("apiVersion").asText());
        assertEquals(
                "{\"name\":\"ctcheck3\",\"uid\":\"3eb3070b-ce1f-4252-bbc9-f6c2e09f4958\",\"resourceVersion\":\"523\","
                        + "\"creationTimestamp\":\"2026-11-22T17:09:45Z\"}",
                csr.get("metadata").toString(),
                "empty strings and zero generation are absent");
        assertEquals(
                "[{\"type\":\"Approved\",\"reason\":\"KubectlApprove\",\"message\":\"This CSR was approved by kubectl certificate "
                        + "approve.\",\"lastUpdateTime\":\"2026-11-22T17:09:45Z\",\"lastTransitionTime\":null,"
                        + "\"status\":\"True\"}]",
                csr.at("/status/conditions").toString(),
                "a zero lastTransitionTime is null, as encoding/json writes a zero metav1.Time");
        String pem =
                new String(Base64.getDecoder().decode(csr.at("/spec/request").asText()), StandardCharsets.US_ASCII);
        assertEquals(
                "-----BEGIN CERTIFICATE REQUEST-----", pem.lines().findFirst().orElseThrow());
        assertEquals(
                "[\"system:masters\",\"system:authenticated\"]",
                csr.at("/spec/groups").toString());
        assertEquals(
                "kubernetes.io/kube-apiserver-client",
                csr.at("/spec/signerName").asText());
        assertEquals(
                1,
                csr.at("/spec/extra/authentication.kubernetes.io~1credential-id")
                        .size());
        assertFalse(csr.at("/spec").has("uid"));
    }

    @Test
    void refusesWhatItCannotDecode() throws Exception {
        IllegalArgumentException noPrefix = assertThrows(
                IllegalArgumentException.class, () -> ProtobufDecoder.decode("{}".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(
                "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]",
                noPrefix.getMessage());
        byte[] truncated = Arrays.copyOf(recorded(), 200);
        assertEquals(
                "unexpected EOF",
                assertThrows(IllegalArgumentException.class, () -> ProtobufDecoder.decode(truncated))
                        .getMessage());
    }
}
