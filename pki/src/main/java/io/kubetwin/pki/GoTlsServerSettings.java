package io.kubetwin.pki;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A Go TLS server's {@code --tls-min-version} and {@code --tls-cipher-suites}, as kube-apiserver and the kubelet
 * read them (k8s.io/component-base/cli/flag/ciphersuites_flag.go) and crypto/tls applies them: names are checked
 * against every suite crypto/tls implements, secure or not; the TLS 1.3 suites cannot be configured (Go always
 * offers its three); the configured TLS 1.2 suites are picked in Go's own preference order, not the flag's; an
 * explicitly named suite is used even where Go's defaults leave it out (RSA key exchange, 3DES, RC4).
 *
 * <p>Java's {@code jdk.tls.disabledAlgorithms} keeps TLS 1.0/1.1, RC4 and 3DES off process-wide; the fake does not
 * change that for a whole JVM, so those are accepted as flag values and listed by {@link #unavailableInJava()}.
 *
 * @param minVersion the Go name ({@code VersionTLS12} by default)
 * @param cipherSuites the TLS 1.0–1.2 suites named by the flag, as given (empty: Go's defaults)
 */
public record GoTlsServerSettings(String minVersion, List<String> cipherSuites) {

    /** tls.VersionTLS10..13 by the names kube's flags take, lowest first. */
    private static final List<String> VERSIONS =
            List.of("VersionTLS10", "VersionTLS11", "VersionTLS12", "VersionTLS13");

    private static final Map<String, String> JSSE_PROTOCOLS = Map.of(
            "VersionTLS10", "TLSv1",
            "VersionTLS11", "TLSv1.1",
            "VersionTLS12", "TLSv1.2",
            "VersionTLS13", "TLSv1.3");

    /** tls.InsecureCipherSuites(): accepted by the flag, with a warning at start-up. */
    private static final Set<String> INSECURE = Set.of(
            "TLS_RSA_WITH_RC4_128_SHA",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");

    /** The names ciphersuites_flag.go keeps for backward compatibility, and the suite each one means. */
    private static final Map<String, String> LEGACY_NAMES = Map.of(
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * crypto/tls cipherSuitesPreferenceOrder (the AES-hardware order): the server picks the first one shared. Its
     * head is the default set, then the suites Go enables only when named.
     */
    private static final List<String> PREFERENCE_ORDER = Stream.concat(
                    GoTlsDefaults.TLS12_CIPHER_SUITES.stream(),
                    Stream.of(
                            "TLS_RSA_WITH_AES_128_GCM_SHA256",
                            "TLS_RSA_WITH_AES_256_GCM_SHA384",
                            "TLS_RSA_WITH_AES_128_CBC_SHA",
                            "TLS_RSA_WITH_AES_256_CBC_SHA",
                            "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                            "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                            "TLS_RSA_WITH_AES_128_CBC_SHA256",
                            "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
                            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
                            "TLS_RSA_WITH_RC4_128_SHA"))
            .toList();

    /** The suites x/net/http2's ConfigureServer requires one of when TLS 1.2 is allowed. */
    private static final Set<String> HTTP2_REQUIRED =
            Set.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");

    public GoTlsServerSettings {
        minVersion = minVersion == null || minVersion.isEmpty() ? "VersionTLS12" : minVersion;
        cipherSuites = cipherSuites == null ? List.of() : List.copyOf(cipherSuites);
    }

    /** Go's defaults: TLS 1.2 and 1.3, {@link GoTlsDefaults}' suites. */
    public static GoTlsServerSettings defaults() {
        return new GoTlsServerSettings("VersionTLS12", List.of());
    }

    /**
     * Checks the flags' values as kube's SecureServingOptions.ApplyTo and the kubelet's InitializeTLS do (suites,
     * then the version), with their messages; an {@link IllegalArgumentException} carries the text.
     */
    public static GoTlsServerSettings parse(String minVersion, List<String> cipherSuites) {
        List<String> names = cipherSuites == null ? List.of() : cipherSuites;
        for (String name : names) {
            if (canonical(name) == null) {
                throw new IllegalArgumentException("Cipher suite " + name + " not supported or doesn't exist");
            }
        }
        if (minVersion != null && !minVersion.isEmpty() && !VERSIONS.contains(minVersion)) {
            throw new IllegalArgumentException("unknown tls version " + GoText.quote(minVersion));
        }
        return new GoTlsServerSettings(minVersion, names);
    }

    /**
     * What Go's HTTP/2 server set-up refuses ({@code http2.ConfigureServer}): named suites that allow TLS 1.2 but
     * lack an ECDHE AES-128-GCM one; empty when the settings are fine.
     */
    public Optional<String> http2Refusal() {
        if (!cipherSuites.isEmpty()
                && !minVersion.equals("VersionTLS13")
                && cipherSuites.stream().map(GoTlsServerSettings::canonical).noneMatch(HTTP2_REQUIRED::contains)) {
            return Optional.of("http2: TLSConfig.CipherSuites is missing an HTTP/2-required"
                    + " AES_128_GCM_SHA256 cipher (need at least one of TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 or"
                    + " TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
        }
        return Optional.empty();
    }

    /** The JSSE protocol names from the minimum up to TLS 1.3 that this JVM allows. */
    public Set<String> jsseProtocols() {
        Set<String> protocols = new LinkedHashSet<>();
        for (String v : VERSIONS.subList(VERSIONS.indexOf(minVersion), VERSIONS.size())) {
            String jsse = JSSE_PROTOCOLS.get(v);
            if (javaAllows(jsse)) {
                protocols.add(jsse);
            }
        }
        return protocols;
    }

    /**
     * The suites to enable, TLS 1.3 first (Go offers them whatever the flag says), then the configured TLS 1.2
     * suites in Go's preference order; suites this JVM cannot use are left out (see {@link #unavailableInJava()}).
     */
    public List<String> jsseCipherSuites() {
        if (cipherSuites.isEmpty()) {
            return GoTlsDefaults.cipherSuites();
        }
        Set<String> configured = configuredSuites();
        List<String> suites = new ArrayList<>(GoTlsDefaults.TLS13_CIPHER_SUITES);
        Set<String> supported = javaSuites();
        for (String suite : PREFERENCE_ORDER) {
            if (configured.contains(suite) && supported.contains(suite)) {
                suites.add(suite);
            }
        }
        return suites;
    }

    /** The insecure suites named (tls.InsecureCipherSuites), in the flag's order: kube warns about each at start-up. */
    public List<String> insecureCiphers() {
        return cipherSuites.stream().filter(INSECURE::contains).toList();
    }

    /** What kube-apiserver would serve and this JVM will not: TLS 1.0/1.1, RC4 and 3DES suites. */
    public List<String> unavailableInJava() {
        List<String> missing = new ArrayList<>();
        for (String v : VERSIONS.subList(VERSIONS.indexOf(minVersion), VERSIONS.size())) {
            if (!javaAllows(JSSE_PROTOCOLS.get(v))) {
                missing.add(v);
            }
        }
        Set<String> supported = javaSuites();
        configuredSuites().stream()
                .filter(s -> !GoTlsDefaults.TLS13_CIPHER_SUITES.contains(s) && !supported.contains(s))
                .forEach(missing::add);
        return missing;
    }

    private Set<String> configuredSuites() {
        Set<String> configured = new LinkedHashSet<>();
        cipherSuites.forEach(name -> configured.add(canonical(name)));
        return configured;
    }

    /** The crypto/tls name a flag value stands for, or null when Go implements no such suite. */
    private static String canonical(String name) {
        if (LEGACY_NAMES.containsKey(name)) {
            return LEGACY_NAMES.get(name);
        }
        if (PREFERENCE_ORDER.contains(name) || GoTlsDefaults.TLS13_CIPHER_SUITES.contains(name)) {
            return name;
        }
        return null;
    }

    private static boolean javaAllows(String protocol) {
        return defaultParameters().protocols().contains(protocol);
    }

    private static Set<String> javaSuites() {
        return defaultParameters().suites();
    }

    private record JavaDefaults(Set<String> protocols, Set<String> suites) {}

    private static volatile JavaDefaults javaDefaults;

    /** What a default SSLContext enables: jdk.tls.disabledAlgorithms already applied. */
    private static JavaDefaults defaultParameters() {
        JavaDefaults d = javaDefaults;
        if (d == null) {
            try {
                var params = SSLContext.getDefault().getDefaultSSLParameters();
                var supported = SSLContext.getDefault().getSupportedSSLParameters();
                Set<String> suites = new LinkedHashSet<>(List.of(supported.getCipherSuites()));
                // a suite the JVM knows but whose algorithms are disabled does not appear among the defaults
                suites.retainAll(Set.of(params.getCipherSuites()));
                d = new JavaDefaults(Set.of(params.getProtocols()), suites);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            javaDefaults = d;
        }
        return d;
    }
}
