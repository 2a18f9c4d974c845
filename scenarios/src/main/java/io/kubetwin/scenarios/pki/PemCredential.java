package io.kubetwin.scenarios.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** A certificate and its private key, both PEM encoded. */
public record PemCredential(String certificatePem, String privateKeyPem) {

    public X509Certificate certificate() {
        return parseCertificates(certificatePem).get(0);
    }

    public PrivateKey privateKey() {
        return parsePrivateKey(privateKeyPem);
    }

    /** A PKCS#12 key store holding this credential under alias {@code client}, password {@code changeit}. */
    public KeyStore keyStore() {
        try {
            var store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", privateKey(), "changeit".toCharArray(),
                    parseCertificates(certificatePem).toArray(new X509Certificate[0]));
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build key store: " + e.getMessage(), e);
        }
    }

    public static List<X509Certificate> parseCertificates(String pem) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var out = new ArrayList<X509Certificate>();
            for (var cert : factory.generateCertificates(new ByteArrayInputStream(pem.getBytes()))) {
                out.add((X509Certificate) cert);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("bad certificate PEM: " + e.getMessage(), e);
        }
    }

    public static PrivateKey parsePrivateKey(String pem) {
        try (var parser = new PEMParser(new StringReader(pem))) {
            var object = parser.readObject();
            var converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException("not a private key PEM: " + (object == null ? "empty" : object.getClass()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
