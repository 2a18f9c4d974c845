package io.kubetwin.apiserver.certificates;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * The PEM and certificate reading a client reaches through the CertificateSigningRequest API: {@code spec.request}
 * ({@link CertificateRequest#parse} and its signature check) and {@code status.certificate}
 * ({@link CsrValidation#certificateProblem}). Any bytes give a parsed request or an
 * {@link CertificateRequest.InvalidRequest} (the 422's message), and a problem text or none; nothing else escapes.
 * Seeds in {@code CertificateRequestFuzzTestInputs/parse}.
 */
class CertificateRequestFuzzTest {
    @FuzzTest
    @Timeout(10)
    void parse(byte[] pem) {
        try {
            CertificateRequest request = CertificateRequest.parse(pem);
            assertNotNull(request.publicKey());
            request.checkSignature();
        } catch (CertificateRequest.InvalidRequest e) {
            assertNotNull(e.getMessage());
        }
        CsrValidation.certificateProblem(pem);
    }
}
