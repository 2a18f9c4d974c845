package io.kubetwin.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM reading and writing. Reads everything openssl and client-go write: certificates (one or many,
 * text between blocks ignored), private keys as PKCS#1 {@code RSA PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}
 * and SEC1 {@code EC PRIVATE KEY} (with or without a leading {@code EC PARAMETERS} block), public keys
 * ({@code PUBLIC KEY}) and CSRs ({@code CERTIFICATE REQUEST}). Writes as Go's encoding/pem does:
 * 64-column base64, {@code \n} line ends, private keys in client-go's keyutil formats. Stateless and thread-safe.
 */
public final class Pem {
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String RSA_PRIVATE_KEY = "RSA PRIVATE KEY";
    public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    public static final String PUBLIC_KEY = "PUBLIC KEY";

    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {}

    /** One PEM block: {@code -----BEGIN type-----}, base64 in 64-character lines, {@code -----END type-----}, newline. */
    public static String encode(String type, byte[] der) {
        String body = ENCODER.encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + (body.isEmpty() ? "" : "\n") + "-----END " + type + "-----\n";
    }

    // ---------------------------------------------------------------- certificates

    public static String certificatePem(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    /** Concatenated blocks, as a CA bundle file holds them. */
    public static String certificatesPem(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(certificatePem(c)));
        return out.toString();
    }

    /** All certificates in the text, in order; an empty list if there are none. */
    public static List<X509Certificate> parseCertificates(String pem) {
        List<X509Certificate> out = new ArrayList<>();
        for (Object o : objects(pem)) {
            if (o instanceof X509CertificateHolder holder) {
                out.add(certificateFromDer(encoded(holder)));
            }
        }
        return out;
    }

    /** The first certificate in the text; fails if there is none. */
    public static X509Certificate parseCertificate(String pem) {
        List<X509Certificate> all = parseCertificates(pem);
        if (all.isEmpty()) {
            throw new PkiException("no CERTIFICATE block found");
        }
        return all.get(0);
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /** A certificate from its DER encoding, made by the JDK's X.509 factory (so JSSE and PKIX accept it natively). */
    public static X509Certificate certificateFromDer(byte[] der) {
        try {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot parse certificate: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- private keys

    /**
     * The first private key in the text, whatever format openssl wrote it in. Blocks before it (such as
     * {@code EC PARAMETERS} or a certificate) are skipped. Encrypted keys are refused: kubeconfigs and
     * Kubernetes PKI files never hold them.
     */
    public static PrivateKey parsePrivateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects(pem)) {
            try {
                if (o instanceof PEMKeyPair pair) {
                    // SEC1 keys may lack the public key; the private part is all we need.
                    return jdkKey(converter.getPrivateKey(pair.getPrivateKeyInfo()));
                }
                if (o instanceof PrivateKeyInfo info) {
                    return jdkKey(converter.getPrivateKey(info));
                }
            } catch (IOException e) {
                throw new PkiException("cannot decode private key: " + e.getMessage(), e);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new PkiException("encrypted private keys are not supported");
            }
        }
        throw new PkiException("no private key found (expected RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)");
    }

    /**
     * The JDK's own key for {@code key}. The converter asks the JCA for an "ECDSA" key factory, which only
     * BouncyCastle offers: once a library registers it as a provider (client-java does, process-wide), EC keys come
     * back as BouncyCastle's "ECDSA" keys, which no longer match the "EC" public keys of the JDK's certificates.
     */
    private static PrivateKey jdkKey(PrivateKey key) {
        if (!key.getAlgorithm().equals("ECDSA")) {
            return key;
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot decode EC private key: " + e.getMessage(), e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
    }

    /**
     * The key as client-go's keyutil writes it (and so kubeadm's key files and kubeconfigs):
     * PKCS#1 {@code RSA PRIVATE KEY} for RSA, SEC1 {@code EC PRIVATE KEY} with the named curve and public
     * point for EC, PKCS#8 {@code PRIVATE KEY} for anything else.
     */
    public static String privateKeyPem(PrivateKey key) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return encode(
                        RSA_PRIVATE_KEY,
                        info.parsePrivateKey().toASN1Primitive().getEncoded("DER"));
            }
            if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                return encode(EC_PRIVATE_KEY, sec1(info));
            }
            return privateKeyPkcs8Pem(key);
        } catch (IOException e) {
            throw new PkiException("cannot encode private key: " + e.getMessage(), e);
        }
    }

    /** The key as PKCS#8 {@code PRIVATE KEY}, the format {@code openssl genpkey} (and openssl 3 {@code genrsa}) writes. */
    public static String privateKeyPkcs8Pem(PrivateKey key) {
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    // The JDK's PKCS#8 EC encoding may leave out the curve and the public point inside the SEC1
    // structure; openssl and Go want both, so rebuild it with the curve from the algorithm identifier.
    private static byte[] sec1(PrivateKeyInfo info) throws IOException {
        if (!(info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
            throw new PkiException("only named-curve EC keys are supported");
        }
        X9ECParameters params = ECNamedCurveTable.getByOID(curve);
        if (params == null) {
            throw new PkiException("unknown EC curve " + curve.getId());
        }
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        BigInteger d = inner.getKey();
        byte[] point = params.getG().multiply(d).normalize().getEncoded(false);
        return new ECPrivateKey(params.getN().bitLength(), d, new DERBitString(point), curve).getEncoded("DER");
    }

    // ---------------------------------------------------------------- public keys

    /** The key as {@code PUBLIC KEY} (SubjectPublicKeyInfo), as {@code openssl pkey -pubout} writes it. */
    public static String publicKeyPem(PublicKey key) {
        return encode(PUBLIC_KEY, key.getEncoded());
    }

    /** The first {@code PUBLIC KEY} (or PKCS#1 {@code RSA PUBLIC KEY}) in the text. */
    public static PublicKey parsePublicKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : objects(pem)) {
            if (o instanceof SubjectPublicKeyInfo info) {
                try {
                    return converter.getPublicKey(info);
                } catch (IOException e) {
                    throw new PkiException("cannot decode public key: " + e.getMessage(), e);
                }
            }
        }
        throw new PkiException("no PUBLIC KEY block found");
    }

    /**
     * Every public key a key file yields, as kube-apiserver reads {@code --service-account-key-file}
     * (keyutil.ParsePublicKeysPEM): public keys as they are, and the public half of private keys.
     */
    public static List<PublicKey> parsePublicKeys(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<PublicKey> keys = new ArrayList<>();
        for (Object o : objects(pem)) {
            try {
                if (o instanceof SubjectPublicKeyInfo info) {
                    keys.add(converter.getPublicKey(info));
                } else if (o instanceof PEMKeyPair pair) {
                    keys.add(publicKeyOf(converter.getPrivateKey(pair.getPrivateKeyInfo())));
                } else if (o instanceof PrivateKeyInfo info) {
                    keys.add(publicKeyOf(converter.getPrivateKey(info)));
                }
            } catch (IOException e) {
                throw new PkiException("cannot decode key: " + e.getMessage(), e);
            }
        }
        if (keys.isEmpty()) {
            throw new PkiException("data does not contain any valid RSA or ECDSA public keys");
        }
        return keys;
    }

    /** The public key of an RSA (CRT form) or EC private key. */
    public static PublicKey publicKeyOf(PrivateKey key) {
        try {
            if (key instanceof RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA")
                        .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof java.security.interfaces.ECPrivateKey ec) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
                if (!(info.getPrivateKeyAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
                    throw new PkiException("only named-curve EC keys are supported");
                }
                X9ECParameters params = ECNamedCurveTable.getByOID(curve);
                ECPoint q = params.getG().multiply(ec.getS()).normalize();
                java.security.spec.ECPoint w = new java.security.spec.ECPoint(
                        q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, ec.getParams()));
            }
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot derive public key: " + e.getMessage(), e);
        }
        throw new PkiException("unsupported private key type " + key.getAlgorithm());
    }

    // ---------------------------------------------------------------- CSRs

    /** The first {@code CERTIFICATE REQUEST} (or {@code NEW CERTIFICATE REQUEST}) in the text. */
    public static Csr parseCsr(String pem) {
        for (Object o : objects(pem)) {
            if (o instanceof PKCS10CertificationRequest request) {
                return Csr.fromDer(encoded(request));
            }
        }
        throw new PkiException("no CERTIFICATE REQUEST block found");
    }

    // ---------------------------------------------------------------- internals

    private static List<Object> objects(String pem) {
        List<Object> out = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new PkiException("malformed PEM: " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new PkiException("cannot encode certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] encoded(PKCS10CertificationRequest request) {
        try {
            return request.getEncoded();
        } catch (IOException e) {
            throw new PkiException("cannot encode certificate request: " + e.getMessage(), e);
        }
    }
}
