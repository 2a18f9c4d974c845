package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;

/**
 * PEM and certificate loading (CA bundles, client and serving credentials, service-account key files, CSRs): on any
 * text each reader returns its value or throws a {@link PkiException} saying what is wrong; no other exception, no
 * error, no hang. Seeds in {@code PemFuzzTestInputs/parse}: what openssl writes (certificate, SEC1 / PKCS#1 / PKCS#8
 * keys, EC parameters, public key, CSR, a bundle).
 */
class PemFuzzTest {
    @FuzzTest
    @Timeout(10)
    void parse(byte[] input) {
        // ISO-8859-1 keeps every byte as one char, as the files are read as US-ASCII
        String pem = new String(input, StandardCharsets.ISO_8859_1);
        read(() -> Pem.parseCertificates(pem));
        read(() -> Pem.parsePrivateKey(pem));
        read(() -> Pem.parsePublicKeys(pem));
        read(() -> Pem.parseCsr(pem));
        read(() -> Credential.fromPem(pem, pem));
    }

    private static void read(Supplier<?> reader) {
        try {
            assertNotNull(reader.get());
        } catch (PkiException e) {
            assertNotNull(e.getMessage());
            assertFalse(e.getMessage().isBlank());
        }
    }
}
