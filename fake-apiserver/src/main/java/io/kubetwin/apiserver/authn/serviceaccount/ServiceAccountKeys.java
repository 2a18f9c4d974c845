package io.kubetwin.apiserver.authn.serviceaccount;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Service-account key files read as client-go's util/keyutil reads them, and the key id kube-apiserver
 * derives. {@code --service-account-key-file}: every PEM block, whatever its label, that holds an RSA
 * private key (PKCS#1 or PKCS#8), an RSA public key or certificate (PKIX), an EC private key (SEC 1) or an
 * EC public key or certificate contributes its public key; other blocks are ignored.
 * {@code --service-account-signing-key-file}: the first {@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY} or
 * {@code PRIVATE KEY} block that parses. Errors carry upstream's texts. Stateless and thread-safe.
 */
public final class ServiceAccountKeys {
    private ServiceAccountKeys() {}

    /** keyutil.PublicKeysFromFile. */
    public static List<PublicKey> readPublicKeys(Path file) {
        List<PublicKey> keys = parsePublicKeys(read(file));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("error reading public key file " + file
                    + ": data does not contain any valid RSA or ECDSA public keys");
        }
        return keys;
    }

    /** The keys of several {@code --service-account-key-file}s, in order. */
    public static List<PublicKey> readPublicKeys(List<Path> files) {
        List<PublicKey> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(readPublicKeys(file));
        }
        return List.copyOf(all);
    }

    /** keyutil.PrivateKeyFromFile, with the public half derived. */
    public static KeyPair readSigningKey(Path file) {
        KeyPair pair = parseSigningKey(read(file));
        if (pair == null) {
            throw new IllegalArgumentException("error reading private key file " + file
                    + ": data does not contain a valid RSA or ECDSA private key");
        }
        return pair;
    }

    /** keyutil.ParsePublicKeysPEM (public keys of every usable block; empty when there is none). */
    public static List<PublicKey> parsePublicKeys(String pem) {
        List<PublicKey> keys = new ArrayList<>();
        for (PemObject block : blocks(pem)) {
            PublicKey key = publicKeyOf(block.getContent());
            if (key != null) {
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    /** keyutil.ParsePrivateKeyPEM; null when no block holds a private key. */
    public static KeyPair parseSigningKey(String pem) {
        for (PemObject block : blocks(pem)) {
            KeyPair pair =
                    switch (block.getType()) {
                        case "EC PRIVATE KEY" ->
                            attempt(() -> ecKeyPair(ECPrivateKey.getInstance(block.getContent()), null));
                        case "RSA PRIVATE KEY" ->
                            attempt(() -> rsaKeyPair(RSAPrivateKey.getInstance(block.getContent())));
                        case "PRIVATE KEY" ->
                            attempt(() -> pkcs8KeyPair(PrivateKeyInfo.getInstance(block.getContent())));
                        default -> null;
                    };
            if (pair != null) {
                return pair;
            }
        }
        return null;
    }

    /** keyIDFromPublicKey: unpadded base64url of the SHA-256 of the DER (PKIX) public key. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("open " + file + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("open " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException("open " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<PemObject> blocks(String pem) {
        List<PemObject> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            while (true) {
                PemObject block;
                try {
                    block = reader.readPemObject();
                } catch (IOException e) {
                    break; // a malformed block ends the data, as pem.Decode stops
                }
                if (block == null) {
                    break;
                }
                blocks.add(block);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return blocks;
    }

    /** The order keyutil tries: RSA private, RSA public (PKIX or certificate), EC private, EC public. */
    private static PublicKey publicKeyOf(byte[] der) {
        KeyPair rsaPrivate = attempt(() -> rsaKeyPair(RSAPrivateKey.getInstance(der)));
        if (rsaPrivate == null) {
            rsaPrivate = attempt(() -> {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
                return info.getPrivateKeyAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)
                        ? pkcs8KeyPair(info)
                        : null;
            });
        }
        if (rsaPrivate != null) {
            return rsaPrivate.getPublic();
        }
        PublicKey pkix = attempt(() -> publicKey(SubjectPublicKeyInfo.getInstance(der)));
        if (pkix == null) {
            pkix = attempt(() -> publicKey(Certificate.getInstance(der).getSubjectPublicKeyInfo()));
        }
        if (pkix instanceof RSAPublicKey) {
            return pkix;
        }
        KeyPair ecPrivate = attempt(() -> ecKeyPair(ECPrivateKey.getInstance(der), null));
        if (ecPrivate != null) {
            return ecPrivate.getPublic();
        }
        return pkix instanceof ECPublicKey ? pkix : null;
    }

    private static PublicKey publicKey(SubjectPublicKeyInfo info) throws GeneralSecurityException, IOException {
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        String name = algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)
                ? "RSA"
                : algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey) ? "EC" : null;
        if (name == null) {
            return null;
        }
        return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(info.getEncoded()));
    }

    private static KeyPair pkcs8KeyPair(PrivateKeyInfo info) throws GeneralSecurityException, IOException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            return rsaKeyPair(RSAPrivateKey.getInstance(info.parsePrivateKey()));
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(
                    info.getPrivateKeyAlgorithm().getParameters());
            return ecKeyPair(ECPrivateKey.getInstance(info.parsePrivateKey()), curve);
        }
        return null;
    }

    private static KeyPair rsaKeyPair(RSAPrivateKey k) throws GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("RSA");
        return new KeyPair(
                factory.generatePublic(new RSAPublicKeySpec(k.getModulus(), k.getPublicExponent())),
                factory.generatePrivate(new RSAPrivateCrtKeySpec(
                        k.getModulus(),
                        k.getPublicExponent(),
                        k.getPrivateExponent(),
                        k.getPrime1(),
                        k.getPrime2(),
                        k.getExponent1(),
                        k.getExponent2(),
                        k.getCoefficient())));
    }

    /** An EC key pair from a SEC 1 private key; the curve comes from the key or, in PKCS#8, from outside it. */
    private static KeyPair ecKeyPair(ECPrivateKey k, ASN1ObjectIdentifier outerCurve)
            throws GeneralSecurityException, IOException {
        ASN1ObjectIdentifier curve = k.getParametersObject() != null
                ? ASN1ObjectIdentifier.getInstance(k.getParametersObject())
                : outerCurve;
        X9ECParameters params = curve == null ? null : ECNamedCurveTable.getByOID(curve);
        if (params == null) {
            return null;
        }
        BigInteger d = k.getKey();
        ECPoint q = params.getG().multiply(d).normalize();
        AlgorithmIdentifier algorithm = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve);
        KeyFactory factory = KeyFactory.getInstance("EC");
        PublicKey publicKey = factory.generatePublic(
                new X509EncodedKeySpec(new SubjectPublicKeyInfo(algorithm, q.getEncoded(false)).getEncoded()));
        ECPrivateKey withoutPublic = new ECPrivateKey(params.getN().bitLength(), d, null);
        return new KeyPair(
                publicKey,
                factory.generatePrivate(
                        new PKCS8EncodedKeySpec(new PrivateKeyInfo(algorithm, withoutPublic).getEncoded())));
    }

    private interface Attempt<T> {
        T run() throws Exception;
    }

    private static <T> T attempt(Attempt<T> attempt) {
        try {
            return attempt.run();
        } catch (Exception e) {
            return null;
        }
    }
}
