package io.kubetwin.scenarios.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS#10 requests, as {@code openssl req -new -subj "/CN=user/O=group"} makes them. */
public final class CsrMaker {

    /** A certificate request PEM and the private key PEM it was made with. */
    public record Request(String csrPem, String privateKeyPem) {}

    private CsrMaker() {}

    public static Request make(String commonName, List<String> organizations) {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            var pair = generator.generateKeyPair();
            var name = new X500NameBuilder(BCStyle.INSTANCE);
            organizations.forEach(o -> name.addRDN(BCStyle.O, o));
            name.addRDN(BCStyle.CN, commonName);
            var csr = new JcaPKCS10CertificationRequestBuilder(name.build(), pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new Request(pem(csr), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a CSR: " + e.getMessage(), e);
        }
    }

    private static String pem(Object object) {
        var out = new StringWriter();
        try (var writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
