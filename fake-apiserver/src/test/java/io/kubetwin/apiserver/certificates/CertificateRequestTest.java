package io.kubetwin.apiserver.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Requests that reach {@link CertificateRequest#parse} malformed, with the error encoding/asn1 gives for them. */
class CertificateRequestTest {
    /**
     * Found by CertificateRequestFuzzTest: BouncyCastle's lazy decoding threw unchecked exceptions out of parse (a
     * 500) where Go's x509.ParseCertificateRequest fails validation (a 422). Both inputs hold O=system:n\x8fdes as a
     * UTF8String; the second also a requested Extension of one element, which Go never reaches (it parses the
     * subject first). Messages recorded from the reference kube-apiserver v1.34.4 for the same spec.request.
     */
    @ParameterizedTest
    @ValueSource(strings = {"crash-invalid-utf8-organization", "crash-short-extension"})
    void malformedSubjectsAreAsn1Errors(String input) throws IOException {
        byte[] pem;
        try (InputStream in = getClass().getResourceAsStream("CertificateRequestFuzzTestInputs/parse/" + input)) {
            pem = in.readAllBytes();
        }
        var e = assertThrows(CertificateRequest.InvalidRequest.class, () -> CertificateRequest.parse(pem));
        assertEquals("asn1: invalid UTF-8 string", e.getMessage());
    }
}
