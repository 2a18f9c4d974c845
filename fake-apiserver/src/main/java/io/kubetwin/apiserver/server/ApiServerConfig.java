package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.admission.AdmissionOptions;
import io.kubetwin.apiserver.audit.AuditOptions;
import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.apiserver.features.GateSupport;
import io.kubetwin.apiserver.flowcontrol.FlowControlOptions;
import io.kubetwin.apiserver.kubelet.KubeletClientOptions;
import io.kubetwin.apiserver.registry.ApiSurface;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.pki.GoTlsServerSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fake apiserver's configuration, one field per kube-apiserver flag it implements (same names and
 * defaults as kube-apiserver, see {@link ApiServerFlags}). Built from flags with {@link #fromArgs}
 * or from Java with {@link #builder()}.
 *
 * @param certDir where generated PKI is written and reused (kubeadm file names); null keeps a generated
 *                PKI in memory only (the embedded default for tests)
 * @param allowPrivileged {@code --allow-privileged}: whether pods and pod templates may have privileged (or Windows
 *                        hostProcess) containers; false by default, as kube-apiserver (validation refuses them with
 *                        "disallowed by cluster policy")
 * @param authorizationModes ordered modes: AlwaysAllow, AlwaysDeny, Node, RBAC (Webhook and ABAC are refused)
 * @param serviceClusterIpRange {@code --service-cluster-ip-range}: the CIDR Service cluster IPs are allocated from
 *                              (kube-apiserver's default 10.0.0.0/24); the first address is the kubernetes Service's
 * @param serviceNodePortRange {@code --service-node-port-range}, e.g. "30000-32767"
 * @param audit the {@code --audit-*} flags ({@link AuditOptions#defaults()}: no policy, hence no auditing);
 *              validated, and the policy and log file opened, when the server starts
 * @param admission {@code --enable-admission-plugins}, {@code --disable-admission-plugins} and
 *              {@code --admission-control-config-file}
 * @param encryption {@code --encryption-provider-config}, loaded and validated when the flags are parsed
 *              ({@link EncryptionConfig#none()} without it): the transformer of each resource's values at rest,
 *              for a storage that writes values somewhere (the in-memory storage keeps objects, not bytes, so it
 *              has no effect there, and the server says so at start-up)
 * @param storage where objects are kept: in memory (default), an etcd cluster ({@code --etcd-servers}), or the
 *              embedded durable store ({@code --data-dir})
 * @param kubeletClient the {@code --kubelet-*} client flags: how the apiserver reaches kubelets for pods/log
 * @param tls {@code --tls-min-version} and {@code --tls-cipher-suites} ({@link GoTlsServerSettings#defaults()}:
 *            TLS 1.2 and 1.3 with Go's default suites)
 * @param flowControl {@code --enable-priority-and-fairness}, {@code --max-requests-inflight} and
 *            {@code --max-mutating-requests-inflight}
 * @param featureGates {@code --feature-gates} and {@code --emulated-version} ({@link FeatureGates#defaults()}:
 *            v1.34's defaults); a gate set away from its default that the fake does not emulate, or an emulated
 *            release other than 1.34, is refused here ({@link GateSupport})
 */
public record ApiServerConfig(
        String bindAddress,
        int securePort,
        String advertiseAddress,
        Path tlsCertFile,
        Path tlsPrivateKeyFile,
        Path clientCaFile,
        Path tokenAuthFile,
        boolean allowPrivileged,
        boolean anonymousAuth,
        List<String> authorizationModes,
        List<String> serviceAccountIssuers,
        List<Path> serviceAccountKeyFiles,
        Path serviceAccountSigningKeyFile,
        List<String> apiAudiences,
        Path certDir,
        AuditOptions audit,
        String serviceClusterIpRange,
        String serviceNodePortRange,
        AdmissionOptions admission,
        EncryptionConfig encryption,
        StorageOptions storage,
        KubeletClientOptions kubeletClient,
        GoTlsServerSettings tls,
        FlowControlOptions flowControl,
        FeatureGates featureGates) {

    public ApiServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        authorizationModes = List.copyOf(authorizationModes);
        serviceAccountIssuers = List.copyOf(serviceAccountIssuers);
        serviceAccountKeyFiles = List.copyOf(serviceAccountKeyFiles);
        apiAudiences = List.copyOf(apiAudiences);
        audit = audit == null ? AuditOptions.defaults() : audit;
        serviceClusterIpRange = serviceClusterIpRange == null ? "10.0.0.0/24" : serviceClusterIpRange;
        serviceNodePortRange = serviceNodePortRange == null ? "30000-32767" : serviceNodePortRange;
        admission = admission == null ? AdmissionOptions.defaults() : admission;
        encryption = encryption == null ? EncryptionConfig.none() : encryption;
        storage = storage == null ? StorageOptions.inMemory() : storage;
        kubeletClient = kubeletClient == null ? KubeletClientOptions.defaults() : kubeletClient;
        tls = tls == null ? GoTlsServerSettings.defaults() : tls;
        flowControl = flowControl == null ? FlowControlOptions.defaults() : flowControl;
        featureGates = featureGates == null ? FeatureGates.defaults() : featureGates;
        if (ApiSurface.of(featureGates.emulationVersion()).isEmpty()) {
            throw new IllegalArgumentException(GateSupport.emulationRefusal(featureGates));
        }
        GateSupport.refusal(
                        featureGates,
                        ApiSurface.of(featureGates.emulationVersion())
                                .orElseThrow()
                                .servedGroups())
                .ifPresent(refusal -> {
                    throw new IllegalArgumentException(refusal);
                });

        if (securePort < 0 || securePort > 65535) {
            throw new IllegalArgumentException(
                    "--secure-port " + securePort + " must be between 0 and 65535, inclusive");
        }
    }

    /** The recorded API surface of the emulated release ({@code --emulated-version}). */
    public ApiSurface apiSurface() {
        return ApiSurface.of(featureGates.emulationVersion()).orElseThrow();
    }

    /** {@code --enable-admission-plugins}. */
    public List<String> enableAdmissionPlugins() {
        return admission.enable();
    }

    /** Parses kube-apiserver-style flags; unknown or unimplemented flags are an {@link IllegalArgumentException}. */
    public static ApiServerConfig fromArgs(List<String> args) {
        return ApiServerFlags.parse(args);
    }

    /**
     * The embedded default: loopback, an ephemeral port, an in-memory PKI, RBAC, anonymous on, the
     * kubeadm service-account issuer. What tests and the JUnit extension start from.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.securePort = securePort;
        b.advertiseAddress = advertiseAddress;
        b.tlsCertFile = tlsCertFile;
        b.tlsPrivateKeyFile = tlsPrivateKeyFile;
        b.clientCaFile = clientCaFile;
        b.tokenAuthFile = tokenAuthFile;
        b.allowPrivileged = allowPrivileged;
        b.anonymousAuth = anonymousAuth;
        b.authorizationModes = new ArrayList<>(authorizationModes);
        b.serviceAccountIssuers = new ArrayList<>(serviceAccountIssuers);
        b.serviceAccountKeyFiles = new ArrayList<>(serviceAccountKeyFiles);
        b.serviceAccountSigningKeyFile = serviceAccountSigningKeyFile;
        b.apiAudiences = new ArrayList<>(apiAudiences);
        b.certDir = certDir;
        b.audit = audit;
        b.serviceClusterIpRange = serviceClusterIpRange;
        b.serviceNodePortRange = serviceNodePortRange;
        b.admission = admission;
        b.encryption = encryption;
        b.storage = storage;
        b.kubeletClient = kubeletClient;
        b.tls = tls;
        b.flowControl = flowControl;
        b.featureGates = featureGates;
        return b;
    }

    public static final class Builder {
        private KubeletClientOptions kubeletClient;
        private GoTlsServerSettings tls = GoTlsServerSettings.defaults();
        private FlowControlOptions flowControl = FlowControlOptions.defaults();
        private FeatureGates featureGates = FeatureGates.defaults();

        /** Parsed {@code --feature-gates} and {@code --emulated-version} ({@link FeatureGates#parse}). */
        public Builder featureGates(FeatureGates v) {
            featureGates = v == null ? FeatureGates.defaults() : v;
            return this;
        }

        /**
         * {@code --feature-gates} and {@code --emulated-version} as on the command line, e.g.
         * {@code featureGates(List.of("AllowParsingUserUIDFromCertAuth=false"), null)}.
         *
         * @param gates the flag's values ({@code Name=bool}, comma-separated or one per element)
         * @param emulatedVersion {@code 1.34} or {@code kube=1.34}; null or empty for the binary's own
         * @throws IllegalArgumentException with kube-apiserver's message for a value it refuses
         */
        public Builder featureGates(List<String> gates, String emulatedVersion) {
            featureGates = FeatureGates.parse(
                    gates, emulatedVersion == null || emulatedVersion.isEmpty() ? List.of() : List.of(emulatedVersion));
            return this;
        }

        /** {@code --enable-priority-and-fairness} and the max-in-flight limits. */
        public Builder flowControl(FlowControlOptions v) {
            flowControl = v;
            return this;
        }

        /**
         * {@code --tls-min-version} and {@code --tls-cipher-suites}, e.g.
         * {@code GoTlsServerSettings.parse("VersionTLS13", List.of())}.
         */
        public Builder tls(GoTlsServerSettings v) {
            tls = v;
            return this;
        }

        private String bindAddress = "127.0.0.1";
        private int securePort = 0;
        private String advertiseAddress;
        private String serviceClusterIpRange;
        private String serviceNodePortRange;
        private Path tlsCertFile;
        private Path tlsPrivateKeyFile;
        private Path clientCaFile;
        private Path tokenAuthFile;
        private boolean allowPrivileged;
        private boolean anonymousAuth = true;
        private List<String> authorizationModes = new ArrayList<>(List.of("RBAC"));
        private List<String> serviceAccountIssuers = new ArrayList<>(List.of(ApiServerFlags.DEFAULT_ISSUER));
        private List<Path> serviceAccountKeyFiles = new ArrayList<>();
        private Path serviceAccountSigningKeyFile;
        private List<String> apiAudiences = new ArrayList<>();
        private Path certDir;
        private AuditOptions audit = AuditOptions.defaults();
        private AdmissionOptions admission = AdmissionOptions.defaults();
        private EncryptionConfig encryption = EncryptionConfig.none();
        private StorageOptions storage = StorageOptions.inMemory();

        /** Where objects are kept ({@link StorageOptions#inMemory()} by default). */
        public Builder storage(StorageOptions v) {
            storage = v;
            return this;
        }

        /** A loaded encryption configuration ({@link EncryptionConfig#load}). */
        public Builder encryption(EncryptionConfig v) {
            encryption = v == null ? EncryptionConfig.none() : v;
            return this;
        }

        /**
         * {@code --encryption-provider-config}: loads the file now, refusing a bad one with kube-apiserver's
         * message ({@link IllegalArgumentException}).
         */
        public Builder encryptionProviderConfig(Path v) {
            encryption = v == null ? EncryptionConfig.none() : EncryptionConfig.load(v);
            return this;
        }

        /** {@code --enable-admission-plugins}, e.g. {@code List.of("NodeRestriction")}. */
        public Builder enableAdmissionPlugins(List<String> v) {
            admission = new AdmissionOptions(v, admission.disable(), admission.configFile());
            return this;
        }

        /** {@code --disable-admission-plugins}, e.g. {@code List.of("PodSecurity")}. */
        public Builder disableAdmissionPlugins(List<String> v) {
            admission = new AdmissionOptions(admission.enable(), v, admission.configFile());
            return this;
        }

        /** {@code --admission-control-config-file}: an AdmissionConfiguration. */
        public Builder admissionControlConfigFile(Path v) {
            admission = new AdmissionOptions(admission.enable(), admission.disable(), v);
            return this;
        }

        public Builder bindAddress(String v) {
            bindAddress = v;
            return this;
        }

        public Builder securePort(int v) {
            securePort = v;
            return this;
        }

        /** {@code --service-cluster-ip-range}. */
        public Builder serviceClusterIpRange(String v) {
            serviceClusterIpRange = v;
            return this;
        }

        /** {@code --service-node-port-range}. */
        public Builder serviceNodePortRange(String v) {
            serviceNodePortRange = v;
            return this;
        }

        public Builder advertiseAddress(String v) {
            advertiseAddress = v;
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

        public Builder clientCaFile(Path v) {
            clientCaFile = v;
            return this;
        }

        public Builder tokenAuthFile(Path v) {
            tokenAuthFile = v;
            return this;
        }

        /** {@code --allow-privileged} (false by default, as kube-apiserver). */
        public Builder allowPrivileged(boolean v) {
            allowPrivileged = v;
            return this;
        }

        public Builder anonymousAuth(boolean v) {
            anonymousAuth = v;
            return this;
        }

        public Builder authorizationModes(List<String> v) {
            authorizationModes = new ArrayList<>(v);
            return this;
        }

        public Builder serviceAccountIssuers(List<String> v) {
            serviceAccountIssuers = new ArrayList<>(v);
            return this;
        }

        public Builder serviceAccountKeyFiles(List<Path> v) {
            serviceAccountKeyFiles = new ArrayList<>(v);
            return this;
        }

        public Builder serviceAccountSigningKeyFile(Path v) {
            serviceAccountSigningKeyFile = v;
            return this;
        }

        public Builder apiAudiences(List<String> v) {
            apiAudiences = new ArrayList<>(v);
            return this;
        }

        public Builder certDir(Path v) {
            certDir = v;
            return this;
        }
        /** Every audit flag at once (start from {@link AuditOptions#defaults()}). */
        public Builder audit(AuditOptions v) {
            audit = v == null ? AuditOptions.defaults() : v;
            return this;
        }
        /** {@code --audit-policy-file}: without it no request is audited. */
        public Builder auditPolicyFile(Path v) {
            audit = audit.withPolicyFile(v);
            return this;
        }
        /** {@code --audit-log-path}: a file, or {@code -} for standard output. */
        public Builder auditLogPath(String v) {
            audit = audit.withLog(audit.log().withPath(v));
            return this;
        }
        /** {@code --audit-log-mode}: blocking (the default), blocking-strict or batch. */
        public Builder auditLogMode(String v) {
            audit = audit.withLog(audit.log().withBatch(audit.log().batch().withMode(v)));
            return this;
        }
        /** {@code --audit-webhook-config-file}: a kubeconfig naming the receiver. */
        public Builder auditWebhookConfigFile(Path v) {
            audit = audit.withWebhook(audit.webhook().withConfigFile(v));
            return this;
        }

        /** The {@code --kubelet-*} client flags. */
        public Builder kubeletClient(KubeletClientOptions v) {
            kubeletClient = v;
            return this;
        }

        public ApiServerConfig build() {
            return new ApiServerConfig(
                    bindAddress,
                    securePort,
                    advertiseAddress,
                    tlsCertFile,
                    tlsPrivateKeyFile,
                    clientCaFile,
                    tokenAuthFile,
                    allowPrivileged,
                    anonymousAuth,
                    authorizationModes,
                    serviceAccountIssuers,
                    serviceAccountKeyFiles,
                    serviceAccountSigningKeyFile,
                    apiAudiences,
                    certDir,
                    audit,
                    serviceClusterIpRange,
                    serviceNodePortRange,
                    admission,
                    encryption,
                    storage,
                    kubeletClient,
                    tls,
                    flowControl,
                    featureGates);
        }
    }
}
