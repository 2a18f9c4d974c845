package io.kubetwin.apiserver.authn.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.apiserver.authn.TestCerts;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceAccountKeysTest {
    private static final KeyPair RSA = TestCerts.rsa();
    private static final KeyPair EC = TestCerts.ec();
    private static final TestCerts.Issued CERT =
            TestCerts.cert().cn("sa-signer").keys(EC).build();

    private static String pem(Object... objects) {
        try {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                for (Object o : objects) {
                    writer.writeObject(o);
                }
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A SEC 1 {@code EC PRIVATE KEY} with its curve, as openssl writes it (the JCA encoding omits the curve). */
    private static String sec1(KeyPair pair) {
        try {
            var info = PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded());
            var curve = info.getPrivateKeyAlgorithm().getParameters();
            var key = (ECPrivateKey) pair.getPrivate();
            var publicBits = new DERBitString(
                    SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded())
                            .getPublicKeyData()
                            .getBytes());
            var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), publicBits, curve);
            return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pkcs8(KeyPair pair) {
        try {
            return pem(new JcaPKCS8Generator(pair.getPrivate(), null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> publicKeyFiles() {
        return Stream.of(
                Arguments.of("RSA PRIVATE KEY (PKCS#1)", pem(RSA.getPrivate()), List.of(RSA.getPublic())),
                Arguments.of("EC PRIVATE KEY (SEC 1)", sec1(EC), List.of(EC.getPublic())),
                Arguments.of("PRIVATE KEY (PKCS#8 RSA)", pkcs8(RSA), List.of(RSA.getPublic())),
                Arguments.of(
                        "PUBLIC KEY (PKIX) RSA and EC",
                        pem(RSA.getPublic(), EC.getPublic()),
                        List.of(RSA.getPublic(), EC.getPublic())),
                Arguments.of("CERTIFICATE", pem(CERT.cert()), List.of(EC.getPublic())),
                Arguments.of(
                        "other blocks ignored",
                        "junk\n-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n" + "-----END EC PARAMETERS-----\n"
                                + pem(EC.getPublic()),
                        List.of(EC.getPublic())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("publicKeyFiles")
    void readsPublicKeysLikeKeyutil(String name, String content, List<PublicKey> expected) {
        assertEquals(expected, ServiceAccountKeys.parsePublicKeys(content));
    }

    @Test
    void pkcs8EcIsNotAPublicKeySourceButIsASigningKey() {
        // keyutil.ParsePublicKeysPEM only knows SEC 1 for EC private keys
        assertEquals(List.of(), ServiceAccountKeys.parsePublicKeys(pkcs8(EC)));
        assertEquals(
                EC.getPublic(), ServiceAccountKeys.parseSigningKey(pkcs8(EC)).getPublic());
    }

    static Stream<Arguments> signingKeys() {
        return Stream.of(
                Arguments.of(pem(RSA.getPrivate()), RSA),
                Arguments.of(sec1(EC), EC),
                Arguments.of(pkcs8(RSA), RSA),
                Arguments.of(pkcs8(EC), EC));
    }

    @ParameterizedTest
    @MethodSource("signingKeys")
    void readsSigningKeysWithTheirPublicHalf(String content, KeyPair expected) {
        KeyPair pair = ServiceAccountKeys.parseSigningKey(content);
        assertEquals(expected.getPublic(), pair.getPublic());
        assertEquals(ServiceAccountKeys.keyId(expected.getPublic()), ServiceAccountKeys.keyId(pair.getPublic()));
    }

    @Test
    void publicKeyIsNotASigningKey() {
        assertNull(ServiceAccountKeys.parseSigningKey(pem(RSA.getPublic())));
    }

    @Test
    void fileErrorsCarryUpstreamText(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("sa.pub");
        Files.writeString(empty, "not a key\n");
        IllegalArgumentException noKeys =
                assertThrows(IllegalArgumentException.class, () -> ServiceAccountKeys.readPublicKeys(empty));
        assertEquals(
                "error reading public key file " + empty + ": data does not contain any valid RSA or ECDSA public keys",
                noKeys.getMessage());
        IllegalArgumentException noPrivate =
                assertThrows(IllegalArgumentException.class, () -> ServiceAccountKeys.readSigningKey(empty));
        assertEquals(
                "error reading private key file " + empty + ": data does not contain a valid RSA or ECDSA private key",
                noPrivate.getMessage());
        Path missing = dir.resolve("missing.key");
        assertEquals(
                "open " + missing + ": no such file or directory",
                assertThrows(UncheckedIOException.class, () -> ServiceAccountKeys.readPublicKeys(missing))
                        .getMessage());
    }

    @Test
    void readsSeveralFilesInOrder(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("a.pem");
        Path second = dir.resolve("b.pem");
        Files.writeString(first, sec1(EC));
        Files.writeString(second, pem(RSA.getPublic()));
        assertEquals(
                List.of(EC.getPublic(), RSA.getPublic()), ServiceAccountKeys.readPublicKeys(List.of(first, second)));
    }
}
