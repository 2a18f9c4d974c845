package io.kubetwin.kubelet.config;

import io.kubetwin.pki.GoTlsServerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The effective settings of the fake kubelet's servers, after defaults, the {@code --config} file and the
 * flags (in that order of precedence, lowest first), with KubeletConfiguration v1beta1 meanings.
 *
 * @param address                 {@code address} / {@code --address}
 * @param port                    the authenticated HTTPS port; 0 picks a free one (the fake's convenience)
 * @param readOnlyPort            the unauthenticated HTTP port; 0 disables it
 * @param tlsCertFile             serving certificate, or null (then {@code servingCa} or a self-signed one)
 * @param tlsPrivateKeyFile       its key
 * @param servingCaCertFile       fake-only: a cluster CA that signs a generated serving certificate, or null
 * @param servingCaKeyFile        its key
 * @param anonymousEnabled        {@code authentication.anonymous.enabled}
 * @param webhookAuthnEnabled     {@code authentication.webhook.enabled} (bearer tokens via TokenReview)
 * @param clientCaFile            {@code authentication.x509.clientCAFile}, or null (no x509 authentication)
 * @param authorizationMode       {@code authorization.mode}
 * @param hostnameOverride        {@code --hostname-override}, or null
 * @param nodeIp                  {@code --node-ip}, or null
 * @param featureGates            explicitly set gates (defaults in {@link FeatureGates})
 * @param enableDebuggingHandlers {@code enableDebuggingHandlers}
 * @param enableSystemLogHandler  {@code enableSystemLogHandler}
 * @param kubeconfig              {@code --kubeconfig}: the apiserver the webhook modes ask, or null (standalone)
 * @param webhookAuthnCacheTtl    {@code authentication.webhook.cacheTTL} (TokenReview answers)
 * @param webhookAuthorizedTtl    {@code authorization.webhook.cacheAuthorizedTTL}
 * @param webhookUnauthorizedTtl  {@code authorization.webhook.cacheUnauthorizedTTL}
 * @param tls                     {@code tlsMinVersion} / {@code --tls-min-version} and {@code tlsCipherSuites} /
 *                                {@code --tls-cipher-suites}
 */
public record KubeletConfig(
        String address,
        int port,
        int readOnlyPort,
        Path tlsCertFile,
        Path tlsPrivateKeyFile,
        Path servingCaCertFile,
        Path servingCaKeyFile,
        boolean anonymousEnabled,
        boolean webhookAuthnEnabled,
        Path clientCaFile,
        AuthorizationMode authorizationMode,
        String hostnameOverride,
        String nodeIp,
        Map<String, Boolean> featureGates,
        boolean enableDebuggingHandlers,
        boolean enableSystemLogHandler,
        Path kubeconfig,
        Duration webhookAuthnCacheTtl,
        Duration webhookAuthorizedTtl,
        Duration webhookUnauthorizedTtl,
        GoTlsServerSettings tls) {
    public KubeletConfig {
        tls = tls == null ? GoTlsServerSettings.defaults() : tls;
        featureGates = Map.copyOf(featureGates);
    }

    /**
     * The baseline without {@code --config}: v1beta1 defaults with cmd/kubelet/app/options/options.go
     * applyLegacyDefaults on top (anonymous on, token webhook off, AlwaysAllow, read-only port 10255).
     */
    public static Builder flagDefaults() {
        return configFileDefaults()
                .anonymousEnabled(true)
                .webhookAuthnEnabled(false)
                .authorizationMode(AuthorizationMode.ALWAYS_ALLOW)
                .readOnlyPort(10255);
    }

    /**
     * pkg/kubelet/apis/config/v1beta1/defaults.go SetDefaults_KubeletConfiguration, for the fields the fake
     * reads: address 0.0.0.0, port 10250, readOnlyPort 0, anonymous off, webhook authentication on with a 2m
     * cache, authorization mode Webhook with 5m (authorized) and 30s (unauthorized) caches, debugging and
     * system-log handlers on.
     */
    public static Builder configFileDefaults() {
        return new Builder();
    }

    public boolean fineGrainedAuthz() {
        return FeatureGates.enabled(featureGates, FeatureGates.KUBELET_FINE_GRAINED_AUTHZ);
    }

    /** The node name: the hostname override, else the host name, lower-cased (nodeutil.GetHostname). */
    public String nodeName() {
        String name = hostnameOverride != null && !hostnameOverride.isBlank() ? hostnameOverride : localHostName();
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The insecure modes in effect, logged at start-up and shown in reports. */
    public List<String> insecureModes() {
        List<String> modes = new ArrayList<>();
        if (anonymousEnabled) {
            modes.add("anonymous requests are enabled (system:anonymous)");
        }
        if (authorizationMode == AuthorizationMode.ALWAYS_ALLOW) {
            modes.add("authorization mode AlwaysAllow: every authenticated request is allowed");
        }
        if (clientCaFile == null) {
            modes.add("no client CA: x509 client certificates are not authenticated");
        }
        if (readOnlyPort > 0) {
            modes.add("read-only port " + readOnlyPort + " serves /pods, /stats and /metrics without authentication");
        }
        return modes;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.address = address;
        b.port = port;
        b.readOnlyPort = readOnlyPort;
        b.tlsCertFile = tlsCertFile;
        b.tlsPrivateKeyFile = tlsPrivateKeyFile;
        b.servingCaCertFile = servingCaCertFile;
        b.servingCaKeyFile = servingCaKeyFile;
        b.anonymousEnabled = anonymousEnabled;
        b.webhookAuthnEnabled = webhookAuthnEnabled;
        b.clientCaFile = clientCaFile;
        b.authorizationMode = authorizationMode;
        b.hostnameOverride = hostnameOverride;
        b.nodeIp = nodeIp;
        b.featureGates = new LinkedHashMap<>(featureGates);
        b.enableDebuggingHandlers = enableDebuggingHandlers;
        b.enableSystemLogHandler = enableSystemLogHandler;
        b.kubeconfig = kubeconfig;
        b.webhookAuthnCacheTtl = webhookAuthnCacheTtl;
        b.webhookAuthorizedTtl = webhookAuthorizedTtl;
        b.webhookUnauthorizedTtl = webhookUnauthorizedTtl;
        b.tlsMinVersion = tls.minVersion();
        b.tlsCipherSuites = tls.cipherSuites();
        return b;
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String address = "0.0.0.0";
        private int port = 10250;
        private int readOnlyPort;
        private Path tlsCertFile;
        private Path tlsPrivateKeyFile;
        private Path servingCaCertFile;
        private Path servingCaKeyFile;
        private boolean anonymousEnabled;
        private boolean webhookAuthnEnabled = true;
        private Path clientCaFile;
        private AuthorizationMode authorizationMode = AuthorizationMode.WEBHOOK;
        private String hostnameOverride;
        private String nodeIp;
        private Map<String, Boolean> featureGates = new LinkedHashMap<>();
        private boolean enableDebuggingHandlers = true;
        private boolean enableSystemLogHandler = true;
        private Path kubeconfig;
        private Duration webhookAuthnCacheTtl = Duration.ofMinutes(2);
        private Duration webhookAuthorizedTtl = Duration.ofMinutes(5);
        private Duration webhookUnauthorizedTtl = Duration.ofSeconds(30);
        private String tlsMinVersion;
        private List<String> tlsCipherSuites = List.of();

        /** {@code tlsMinVersion} / {@code --tls-min-version}: a Go name such as {@code VersionTLS13}. */
        public Builder tlsMinVersion(String v) {
            tlsMinVersion = v;
            return this;
        }

        /** {@code tlsCipherSuites} / {@code --tls-cipher-suites}: Go's names. */
        public Builder tlsCipherSuites(List<String> v) {
            tlsCipherSuites = List.copyOf(v);
            return this;
        }

        public Builder address(String v) {
            address = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder readOnlyPort(int v) {
            readOnlyPort = v;
            return this;
        }

        public Builder tlsCertFile(Path v) {
            tlsCertFile = v;
            return this;
        }

        public Builder tlsPrivateKeyFile(Path v) {
            tlsPrivateKeyFile = v;
            return this;
        }

        public Builder servingCaCertFile(Path v) {
            servingCaCertFile = v;
            return this;
        }

        public Builder servingCaKeyFile(Path v) {
            servingCaKeyFile = v;
            return this;
        }

        public Builder anonymousEnabled(boolean v) {
            anonymousEnabled = v;
            return this;
        }

        public Builder webhookAuthnEnabled(boolean v) {
            webhookAuthnEnabled = v;
            return this;
        }

        public Builder clientCaFile(Path v) {
            clientCaFile = v;
            return this;
        }

        public Builder authorizationMode(AuthorizationMode v) {
            authorizationMode = v;
            return this;
        }

        public Builder hostnameOverride(String v) {
            hostnameOverride = v;
            return this;
        }

        public Builder nodeIp(String v) {
            nodeIp = v;
            return this;
        }

        public Builder enableDebuggingHandlers(boolean v) {
            enableDebuggingHandlers = v;
            return this;
        }

        public Builder enableSystemLogHandler(boolean v) {
            enableSystemLogHandler = v;
            return this;
        }

        public Builder kubeconfig(Path v) {
            kubeconfig = v;
            return this;
        }

        public Builder webhookAuthnCacheTtl(Duration v) {
            webhookAuthnCacheTtl = v;
            return this;
        }

        public Builder webhookAuthorizedTtl(Duration v) {
            webhookAuthorizedTtl = v;
            return this;
        }

        public Builder webhookUnauthorizedTtl(Duration v) {
            webhookUnauthorizedTtl = v;
            return this;
        }

        /** Merges gates over those already set (flags over the file, as upstream merges them). */
        public Builder featureGates(Map<String, Boolean> v) {
            featureGates.putAll(FeatureGates.validate(v));
            return this;
        }

        public KubeletConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(
                        "invalid configuration: port (--port) " + port + " must be between 1 and 65535, inclusive");
            }
            if (readOnlyPort < 0 || readOnlyPort > 65535) {
                throw new IllegalArgumentException("invalid configuration: readOnlyPort (--read-only-port) "
                        + readOnlyPort + " must be between 0 and 65535, inclusive");
            }
            if ((tlsCertFile == null) != (tlsPrivateKeyFile == null)) {
                throw new IllegalArgumentException("--tls-cert-file and --tls-private-key-file must be given together");
            }
            if ((servingCaCertFile == null) != (servingCaKeyFile == null)) {
                throw new IllegalArgumentException(
                        "--kubetwin-serving-ca-cert-file and --kubetwin-serving-ca-key-file must be given together");
            }
            // InitializeTLS: the suites, then the version, with kube's messages; then the HTTP/2 set-up of
            // ListenAndServeTLS, which stops the kubelet ("Failed to listen and serve")
            GoTlsServerSettings tls = GoTlsServerSettings.parse(tlsMinVersion, tlsCipherSuites);
            tls.http2Refusal().ifPresent(refusal -> {
                throw new IllegalArgumentException(refusal);
            });
            return new KubeletConfig(
                    address,
                    port,
                    readOnlyPort,
                    tlsCertFile,
                    tlsPrivateKeyFile,
                    servingCaCertFile,
                    servingCaKeyFile,
                    anonymousEnabled,
                    webhookAuthnEnabled,
                    clientCaFile,
                    authorizationMode,
                    hostnameOverride,
                    nodeIp,
                    featureGates,
                    enableDebuggingHandlers,
                    enableSystemLogHandler,
                    kubeconfig,
                    webhookAuthnCacheTtl,
                    webhookAuthorizedTtl,
                    webhookUnauthorizedTtl,
                    tls);
        }
    }
}
