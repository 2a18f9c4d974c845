package io.kubetwin.pki;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager holding one credential, offered for the key type it has. It replaces a key store: a JDK
 * PKCS#12 store encrypts its key entry on the way in and decrypts it on the way out, two PBKDF2 derivations of
 * 10,000 rounds each that cost a fresh JVM a noticeable share of its start-up for nothing (the key never leaves
 * memory). Thread-safe (immutable).
 */
final class ServingKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "serving";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    ServingKeyManager(Credential credential) {
        this.chain = new X509Certificate[] {credential.certificate()};
        this.key = credential.privateKey();
    }

    private String alias(String keyType) {
        // JSSE asks once per key type a cipher suite or signature scheme could use; only the key's own fits
        return key.getAlgorithm().equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
