package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PemTest {
    private static final CertificateAuthority CA =
            CertificateAuthority.generate("kubernetes", KeyType.EC_P256, Duration.ofDays(1));
    private static final KeyPair RSA = KeyType.RSA_2048.generate();
    private static final KeyPair EC = KeyType.EC_P256.generate();

    @Test
    void certificateBlockIsGoShaped() {
        String pem = Pem.certificatePem(CA.certificate());
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        assertTrue(pem.endsWith("\n-----END CERTIFICATE-----\n"), pem);
        assertTrue(pem.lines().skip(1).limit(pem.lines().count() - 2).allMatch(l -> l.length() <= 64));
        assertEquals(CA.certificate(), Pem.parseCertificate(pem));
    }

    @Test
    void readsManyCertificatesIgnoringTextAround() {
        X509Certificate leaf = CA.issue(
                        CertificateSpec.client("a").keyType(KeyType.EC_P256).build())
                .certificate();
        String bundle = "Certificate:\n    Data: ...\n" + Pem.certificatePem(leaf) + "\nsome text\n"
                + CA.certificatePem() + Pem.privateKeyPem(EC.getPrivate());
        assertEquals(List.of(leaf, CA.certificate()), Pem.parseCertificates(bundle));
        assertEquals(
                Pem.certificatesPem(List.of(leaf, CA.certificate())), Pem.certificatePem(leaf) + CA.certificatePem());
        assertEquals(List.of(), Pem.parseCertificates("no pem here"));
    }

    /** client-java registers BouncyCastle process-wide; a client certificate and its EC key must still match. */
    @Test
    void ecKeysStayTheJdksWithBouncyCastleRegistered() {
        Credential issued = CA.issue(
                CertificateSpec.client("alice").keyType(KeyType.EC_P256).build());
        boolean added = java.security.Security.addProvider(new BouncyCastleProvider()) != -1;
        try {
            PrivateKey key = Pem.parsePrivateKey(issued.privateKeyPem());
            assertEquals("EC", key.getAlgorithm());
            Credential parsed = Credential.fromPem(issued.certificatePem(), issued.privateKeyPem());
            assertEquals(issued.certificate(), parsed.certificate());
            assertEquals("EC", parsed.privateKey().getAlgorithm());
        } finally {
            if (added) {
                java.security.Security.removeProvider(BouncyCastleProvider.PROVIDER_NAME);
            }
        }
    }

    static Stream<Arguments> privateKeyFormats() {
        Function<PrivateKey, String> clientGo = Pem::privateKeyPem;
        Function<PrivateKey, String> pkcs8 = Pem::privateKeyPkcs8Pem;
        Function<PrivateKey, String> ecWithParams =
                k -> Pem.encode("EC PARAMETERS", der(SECObjectIdentifiers.secp256r1)) + Pem.privateKeyPem(k);
        return Stream.of(
                Arguments.of("PKCS#1", RSA.getPrivate(), clientGo, "RSA PRIVATE KEY"),
                Arguments.of("PKCS#8 RSA", RSA.getPrivate(), pkcs8, "PRIVATE KEY"),
                Arguments.of("SEC1", EC.getPrivate(), clientGo, "EC PRIVATE KEY"),
                Arguments.of("SEC1 after EC PARAMETERS", EC.getPrivate(), ecWithParams, "EC PARAMETERS"),
                Arguments.of("PKCS#8 EC", EC.getPrivate(), pkcs8, "PRIVATE KEY"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("privateKeyFormats")
    void privateKeysRoundTripInEveryFormat(
            String name, PrivateKey key, Function<PrivateKey, String> writer, String firstType) {
        String pem = writer.apply(key);
        assertTrue(pem.startsWith("-----BEGIN " + firstType + "-----\n"), pem);
        PrivateKey read = Pem.parsePrivateKey(pem);
        if (key instanceof RSAPrivateCrtKey rsa) {
            assertEquals(rsa.getPrivateExponent(), ((RSAPrivateCrtKey) read).getPrivateExponent());
            assertEquals(rsa.getModulus(), ((RSAPrivateCrtKey) read).getModulus());
        } else {
            assertEquals(((ECPrivateKey) key).getS(), ((ECPrivateKey) read).getS());
        }
        // re-encoding what was read gives the same client-go form
        assertEquals(Pem.privateKeyPem(key), Pem.privateKeyPem(read));
    }

    @Test
    void publicKeysRoundTrip() {
        for (KeyPair k : List.of(RSA, EC)) {
            String pem = Pem.publicKeyPem(k.getPublic());
            assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
            assertEquals(k.getPublic(), Pem.parsePublicKey(pem));
        }
    }

    @Test
    void saysWhatIsMissing() {
        assertEquals(
                "no CERTIFICATE block found",
                assertThrows(PkiException.class, () -> Pem.parseCertificate(Pem.publicKeyPem(EC.getPublic())))
                        .getMessage());
        assertEquals(
                "no private key found (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)",
                assertThrows(PkiException.class, () -> Pem.parsePrivateKey(CA.certificatePem()))
                        .getMessage());
        assertEquals(
                "no PUBLIC KEY block found",
                assertThrows(PkiException.class, () -> Pem.parsePublicKey("")).getMessage());
        assertEquals(
                "no CERTIFICATE REQUEST block found",
                assertThrows(PkiException.class, () -> Pem.parseCsr(CA.certificatePem()))
                        .getMessage());
    }

    @Test
    void refusesEncryptedKeys() throws Exception {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setPassword("pw".toCharArray())
                .setProvider(new BouncyCastleProvider())
                .build(); // instance, not registered
        var block = new JcaPKCS8Generator(EC.getPrivate(), encryptor).generate();
        String encrypted = Pem.encode(block.getType(), block.getContent());
        assertTrue(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), encrypted);
        assertEquals(
                "encrypted private keys are not supported",
                assertThrows(PkiException.class, () -> Pem.parsePrivateKey(encrypted))
                        .getMessage());
    }

    @Test
    void rejectsMalformedBase64() {
        PkiException e = assertThrows(
                PkiException.class,
                () -> Pem.parseCertificate("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
        assertTrue(e.getMessage().startsWith("malformed PEM"), e.getMessage());
    }

    private static byte[] der(ASN1Object o) {
        try {
            return o.getEncoded("DER");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
