package io.kubetwin.pki;

import java.util.List;

/**
 * What a Go TLS server (crypto/tls, Go 1.24, as kube-apiserver and the kubelet are built) offers when no cipher
 * suites are configured: for TLS 1.2 only ECDHE key exchange with AES-GCM, ChaCha20-Poly1305 or AES-CBC-SHA1
 * (no finite-field DHE, no static RSA, no SHA-2 CBC suites), and the three TLS 1.3 suites. Java's defaults
 * accept fifteen more TLS 1.2 suites, which a TLS scanner pointed at a fake would report and a real cluster
 * would not. Names are the IANA names JSSE uses.
 */
public final class GoTlsDefaults {
    private GoTlsDefaults() {}

    public static final List<String> TLS13_CIPHER_SUITES =
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    /** crypto/tls defaultCipherSuites in its preference order (AES-GCM first, as on hardware with AES-NI). */
    public static final List<String> TLS12_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");

    /** Both lists, TLS 1.3 first: what a server enables when it speaks TLS 1.2 and 1.3. */
    public static List<String> cipherSuites() {
        return java.util.stream.Stream.concat(TLS13_CIPHER_SUITES.stream(), TLS12_CIPHER_SUITES.stream())
                .toList();
    }
}
