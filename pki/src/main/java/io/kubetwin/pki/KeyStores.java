package io.kubetwin.pki;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * In-memory JSSE key and trust stores, and the one way kubetwin builds a TLS client context
 * ({@link #clientContext}) from a {@link Kubeconfig} or from certificates and a {@link Credential} read from PEM.
 * Stateless.
 */
public final class KeyStores {
    private static final char[] NO_PASSWORD = new char[0];

    private KeyStores() {}

    /** A PKCS#12 trust store holding {@code anchors} as trusted certificates. */
    public static KeyStore trustStore(Collection<X509Certificate> anchors) {
        try {
            KeyStore ks = emptyStore();
            int i = 0;
            for (X509Certificate c : anchors) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build trust store: " + e.getMessage(), e);
        }
    }

    /** A PKCS#12 key store with the credential under alias {@code "client"}, protected by an empty password. */
    public static KeyStore keyStore(Credential credential) {
        try {
            KeyStore ks = emptyStore();
            ks.setKeyEntry(
                    "client", credential.privateKey(), NO_PASSWORD, new Certificate[] {credential.certificate()});
            return ks;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build key store: " + e.getMessage(), e);
        }
    }

    /**
     * The TLS client context every kubetwin client uses (the runner's and the tests' {@code ApiClient}, the test
     * clients of the fakes): trusting {@code anchors} (the JDK's default roots when empty, as kubectl falls back to
     * the system roots) and presenting {@code clientCredential} ({@code null} for none) whenever the server asks for
     * a certificate, whatever issuers it lists as acceptable (as curl does; see {@code alwaysPresenting}). Host name
     * checking is the caller's: set the endpoint identification algorithm (java.net.http does).
     * {@code insecure-skip-tls-verify} is not honoured here; a caller that wants it must say so explicitly. From PEM
     * files: {@code clientContext(Pem.readCertificates(caFile), Credential.load(certFile, keyFile))}.
     */
    public static SSLContext clientContext(Collection<X509Certificate> anchors, Credential clientCredential) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(anchors.isEmpty() ? null : trustStore(anchors));
            KeyManager[] keyManagers = null;
            if (clientCredential != null) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore(clientCredential), NO_PASSWORD);
                keyManagers = new KeyManager[] {alwaysPresenting((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * A key manager that offers its one client certificate whatever issuers the server lists as acceptable,
     * as curl and openssl do. Java's and Go's default clients (kubectl's) withhold a certificate whose issuer
     * the server does not list, which would turn an untrusted certificate into an anonymous request instead
     * of exercising the server's x509 verification.
     */
    private static X509ExtendedKeyManager alwaysPresenting(X509ExtendedKeyManager delegate) {
        return new AlwaysPresenting(delegate);
    }

    private static final class AlwaysPresenting extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private final String alias;

        AlwaysPresenting(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
            String[] aliases = delegate.getClientAliases("RSA", null);
            String[] ec = delegate.getClientAliases("EC", null);
            this.alias =
                    aliases != null && aliases.length > 0 ? aliases[0] : ec != null && ec.length > 0 ? ec[0] : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    /**
     * The key manager of a TLS server presenting {@code serving} (its leaf certificate) for its key type, without a
     * key store in between (see {@link ServingKeyManager}).
     */
    public static X509ExtendedKeyManager servingKeyManager(Credential serving) {
        return new ServingKeyManager(serving);
    }

    /** {@link #clientContext} from the current context of a kubeconfig (its CA and client certificate, if any). */
    public static SSLContext clientContext(Kubeconfig kubeconfig) {
        return clientContext(
                kubeconfig.certificateAuthorities(),
                kubeconfig.clientCredential().orElse(null));
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try {
            ks.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return ks;
    }
}
