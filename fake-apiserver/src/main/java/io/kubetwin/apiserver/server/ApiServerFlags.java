package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.admission.AdmissionOptions;
import io.kubetwin.apiserver.audit.AuditFlags;
import io.kubetwin.apiserver.audit.AuditOptions;
import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.apiserver.flowcontrol.FlowControlOptions;
import io.kubetwin.apiserver.kubelet.KubeletClientOptions;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfig;
import io.kubetwin.apiserver.storage.etcd.EtcdConnection;
import io.kubetwin.apiserver.storage.etcd.EtcdOptions;
import io.kubetwin.pki.GoText;
import io.kubetwin.pki.GoTlsServerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * kube-apiserver's flags, by their own names and defaults (cmd/kube-apiserver/app/options), for the
 * subset the fake implements. Anything else is refused with a message naming the flag: a flag the
 * fake silently ignored would make a security test pass for the wrong reason.
 */
@Command(
        name = "fake-apiserver",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A fake kube-apiserver for security testing (kubetwin).")
public final class ApiServerFlags {
    static final String DEFAULT_ISSUER = "https://kubernetes.default.svc.cluster.local";
    static final Set<String> MODES = Set.of("AlwaysAllow", "AlwaysDeny", "Node", "RBAC");
    static final Set<String> PLANNED_MODES = Set.of("Webhook", "ABAC");
    /** kube-apiserver flags that exist upstream but are not implemented here (so the error can say so). */
    private static final Set<String> UPSTREAM_ONLY_PREFIXES = Set.of(
            "--etcd-",
            "--storage-media-type",
            "--admission-control",
            "--oidc-",
            "--requestheader-",
            "--proxy-client-",
            "--authorization-webhook-",
            "--authentication-token-webhook-",
            "--runtime-config",
            "--enable-bootstrap-token-auth",
            "--authorization-config",
            "--authentication-config",
            "--profiling",
            "--v",
            "--storage-backend",
            "--egress-selector-config-file",
            "--service-node-port-range");

    @Option(
            names = "--bind-address",
            defaultValue = "0.0.0.0",
            description = "The IP address on which to listen for the --secure-port port.")
    String bindAddress;

    @Option(
            names = "--secure-port",
            defaultValue = "6443",
            description =
                    "The port on which to serve HTTPS with authentication and authorization. 0 picks a free port.")
    int securePort;

    @Option(
            names = "--service-cluster-ip-range",
            description = "A CIDR notation IP range from which to assign service cluster IPs.")
    String serviceClusterIpRange;

    @Option(
            names = "--service-node-port-range",
            description = "A port range to reserve for services with NodePort visibility.")
    String serviceNodePortRange;

    @Option(names = "--advertise-address", description = "The IP address on which to advertise the apiserver.")
    String advertiseAddress;

    @Option(names = "--tls-cert-file", description = "File containing the default x509 certificate for HTTPS.")
    Path tlsCertFile;

    @Option(names = "--tls-private-key-file", description = "File containing the default x509 private key.")
    Path tlsPrivateKeyFile;

    @Option(
            names = "--enable-priority-and-fairness",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "true",
            description = "If true, replace the max-in-flight handler with an enhanced one that queues and dispatches"
                    + " with priority and fairness (not emulated: nothing is throttled).")
    boolean enablePriorityAndFairness;

    @Option(
            names = "--max-requests-inflight",
            defaultValue = "400",
            description = "Without priority and fairness: the maximum number of non-mutating requests in flight"
                    + " (0: no limit).")
    int maxRequestsInFlight;

    @Option(
            names = "--max-mutating-requests-inflight",
            defaultValue = "200",
            description = "Without priority and fairness: the maximum number of mutating requests in flight"
                    + " (0: no limit).")
    int maxMutatingRequestsInFlight;

    @Option(
            names = "--tls-cipher-suites",
            split = ",",
            description = "Comma-separated list of cipher suites for the server (Go's names). If omitted, the default"
                    + " Go cipher suites will be used.")
    List<String> tlsCipherSuites;

    @Option(
            names = "--tls-min-version",
            description = "Minimum TLS version supported. Possible values: VersionTLS10, VersionTLS11, VersionTLS12,"
                    + " VersionTLS13")
    String tlsMinVersion;

    @Option(
            names = "--client-ca-file",
            description = "CA bundle that verifies client certificates (x509 authentication).")
    Path clientCaFile;

    @Option(names = "--token-auth-file", description = "Static bearer tokens (CSV: token,user,uid,\"group1,group2\").")
    Path tokenAuthFile;

    @Option(
            names = "--allow-privileged",
            arity = "0..1",
            fallbackValue = "true",
            description = "If true, allow privileged containers. [default=false]")
    boolean allowPrivileged;

    @Option(
            names = "--anonymous-auth",
            arity = "0..1",
            fallbackValue = "true",
            defaultValue = "true",
            description = "Enables anonymous requests (system:anonymous, group system:unauthenticated).")
    boolean anonymousAuth;

    @Option(
            names = "--authorization-mode",
            split = ",",
            defaultValue = "AlwaysAllow",
            description = "Ordered list of authorization modes: AlwaysAllow, AlwaysDeny, Node, RBAC.")
    List<String> authorizationModes;

    @Option(
            names = "--enable-admission-plugins",
            split = ",",
            description = "Admission plugins to enable besides the default ones (kube-apiserver's names; the order "
                    + "does not matter).")
    List<String> enableAdmissionPlugins;

    @Option(
            names = "--disable-admission-plugins",
            split = ",",
            description = "Default admission plugins to turn off (kube-apiserver's names).")
    List<String> disableAdmissionPlugins;

    @Option(
            names = "--admission-control-config-file",
            description = "An AdmissionConfiguration file with the plugins' settings.")
    Path admissionControlConfigFile;

    @Option(
            names = "--service-account-issuer",
            description = "Identifier of the service account token issuer (repeatable; the first signs).")
    List<String> serviceAccountIssuers;

    @Option(
            names = "--kubelet-client-certificate",
            description = "Path to a client cert file for TLS (the apiserver's identity towards kubelets).")
    Path kubeletClientCertificate;

    @Option(names = "--kubelet-client-key", description = "Path to a client key file for TLS.")
    Path kubeletClientKey;

    @Option(
            names = "--kubelet-certificate-authority",
            description = "Path to a cert file for the certificate authority (without it kubelets are not verified).")
    Path kubeletCertificateAuthority;

    @Option(
            names = "--kubelet-preferred-address-types",
            split = ",",
            description = "List of the preferred NodeAddressTypes to use for kubelet connections "
                    + "(default Hostname,InternalDNS,InternalIP,ExternalDNS,ExternalIP).")
    List<String> kubeletPreferredAddressTypes;

    /**
     * Parsed as kube-apiserver parses it and, as there, without effect: v1.34.4 stores it in KubeletClientConfig's
     * HTTPTimeout, which nothing reads.
     */
    @Option(
            names = "--kubelet-timeout",
            converter = AuditFlags.GoDurationConverter.class,
            description =
                    "Timeout for kubelet operations (default 5s; accepted and unused, as in kube-apiserver v1.34).")
    Duration kubeletTimeout;

    @Option(
            names = "--service-account-key-file",
            description = "PEM public (or private) keys that verify service account tokens (repeatable).")
    List<Path> serviceAccountKeyFiles;

    @Option(
            names = "--service-account-signing-key-file",
            description = "PEM private key that signs service account tokens.")
    Path serviceAccountSigningKeyFile;

    @Option(names = "--api-audiences", split = ",", description = "Audiences of the API; defaults to the issuers.")
    List<String> apiAudiences;

    @Option(
            names = "--cert-dir",
            defaultValue = "/var/run/kubernetes",
            description =
                    "Where generated TLS certificates are kept (kubeadm file names: ca.crt, ca.key, apiserver.crt, ...).")
    Path certDir;

    @Option(
            names = "--encryption-provider-config",
            description = "EncryptionConfiguration file (apiserver.config.k8s.io/v1): how resources are encrypted at "
                    + "rest (identity, aescbc, aesgcm, secretbox). Applies on etcd and --data-dir; "
                    + "the in-memory storage keeps no values.")
    Path encryptionProviderConfig;

    @Option(
            names = "--encryption-provider-config-automatic-reload",
            arity = "0..1",
            fallbackValue = "true",
            description = "Determines if the file set by --encryption-provider-config should be automatically reloaded"
                    + " if the disk contents change (polled every minute, as kube-apiserver does).")
    boolean encryptionProviderConfigAutomaticReload;

    @Option(
            names = "--etcd-compaction-interval",
            converter = AuditFlags.GoDurationConverter.class,
            description = "The interval of compaction requests. If 0, the compaction request from apiserver is"
                    + " disabled (default 5m0s).")
    Duration etcdCompactionInterval;

    @Option(
            names = "--event-ttl",
            converter = AuditFlags.GoDurationConverter.class,
            description = "Amount of time to retain events (default 1h0m0s): the etcd lease of every Event.")
    Duration eventTtl;

    @Option(
            names = "--lease-reuse-duration-seconds",
            converter = GoInt64Converter.class,
            defaultValue = "60",
            description = "The time in seconds that each lease is reused. A lower value could avoid large number of"
                    + " objects reusing the same lease. Notice that a too small value may cause performance problems"
                    + " at storage layer.")
    long leaseReuseDurationSeconds;

    @Option(
            names = "--etcd-servers",
            split = ",",
            description = "List of etcd servers to connect with (scheme://ip:port), comma separated.")
    List<String> etcdServers;

    @Option(names = "--etcd-cafile", description = "SSL Certificate Authority file used to secure etcd communication.")
    Path etcdCaFile;

    @Option(names = "--etcd-certfile", description = "SSL certification file used to secure etcd communication.")
    Path etcdCertFile;

    @Option(names = "--etcd-keyfile", description = "SSL key file used to secure etcd communication.")
    Path etcdKeyFile;

    @Option(
            names = "--etcd-prefix",
            defaultValue = "/registry",
            description = "The prefix to prepend to all resource paths in etcd.")
    String etcdPrefix;

    @Option(
            names = "--data-dir",
            description = "(kubetwin) Keep objects in an embedded durable etcd store in this directory instead of"
                    + " in memory; exclusive with --etcd-servers.")
    Path dataDir;

    /** Repeatable; kept as given, then parsed as component-base's registry does ({@link FeatureGates#parse}). */
    @Option(
            names = "--feature-gates",
            description = "Comma-separated list of component:key=value pairs that describe feature gates"
                    + " (component kube, or none). Repeatable. Gates the fake does not emulate are accepted at their"
                    + " defaults only (see the README's Feature gates).")
    List<String> featureGates;

    @Option(
            names = "--emulated-version",
            description = "The version the component emulates (major.minor, or kube=major.minor): 1.31..1.34 are"
                    + " accepted as by kube-apiserver, only 1.34 is emulated.")
    List<String> emulatedVersions;

    @Mixin
    AuditFlags audit = new AuditFlags();

    private ApiServerFlags() {}

    static ApiServerConfig parse(List<String> args) {
        ApiServerFlags flags = new ApiServerFlags();
        CommandLine cl = new CommandLine(flags);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new IllegalArgumentException(describeUnknown(e.getUnmatched()), e);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(describeInvalid(e), e);
        }
        // the component registry's Set() runs before the options are completed and validated, as in server.go
        FeatureGates gates = FeatureGates.parse(
                flags.featureGates == null ? List.of() : flags.featureGates,
                flags.emulatedVersions == null ? List.of() : flags.emulatedVersions);
        for (String mode : flags.authorizationModes) {
            if (!MODES.contains(mode)) {
                throw new IllegalArgumentException(describeMode(mode));
            }
        }
        AdmissionOptions admission = new AdmissionOptions(
                flags.enableAdmissionPlugins, flags.disableAdmissionPlugins, flags.admissionControlConfigFile);
        List<String> admissionErrors = admission.validate();
        if (!admissionErrors.isEmpty()) {
            throw new IllegalArgumentException(
                    admissionErrors.size() == 1 ? admissionErrors.get(0) : admissionErrors.toString());
        }
        FlowControlOptions flowControl = new FlowControlOptions(
                flags.enablePriorityAndFairness, flags.maxRequestsInFlight, flags.maxMutatingRequestsInFlight);
        List<String> flowControlErrors = flowControl.validate();
        if (!flowControlErrors.isEmpty()) {
            throw new IllegalArgumentException(
                    flowControlErrors.size() == 1 ? flowControlErrors.get(0) : flowControlErrors.toString());
        }
        List<String> issuers = flags.serviceAccountIssuers == null || flags.serviceAccountIssuers.isEmpty()
                ? List.of(DEFAULT_ISSUER)
                : flags.serviceAccountIssuers;
        return new ApiServerConfig(
                flags.bindAddress,
                flags.securePort,
                flags.advertiseAddress,
                flags.tlsCertFile,
                flags.tlsPrivateKeyFile,
                flags.clientCaFile,
                flags.tokenAuthFile,
                flags.allowPrivileged,
                flags.anonymousAuth,
                flags.authorizationModes,
                issuers,
                flags.serviceAccountKeyFiles == null ? List.of() : flags.serviceAccountKeyFiles,
                flags.serviceAccountSigningKeyFile,
                flags.apiAudiences == null ? List.of() : flags.apiAudiences,
                flags.certDir,
                audit(flags.audit.toOptions()),
                flags.serviceClusterIpRange,
                flags.serviceNodePortRange,
                admission,
                // loaded now: a bad file stops the start-up with kube-apiserver's message, as upstream
                encryption(flags, gates),
                storage(flags),
                kubeletClient(flags),
                tls(flags),
                flowControl,
                gates);
    }

    /**
     * The KMSv1 gate: off (v1.34's default), a KMS v1 provider is refused with kube-apiserver's text; on, the
     * reference would dial the plugin, which the fake cannot (no KMS v1 client), so it says so instead.
     */
    /** SecureServingOptions.ApplyTo's checks, then the HTTP/2 set-up's, which kube-apiserver wraps. */
    private static GoTlsServerSettings tls(ApiServerFlags flags) {
        GoTlsServerSettings tls = GoTlsServerSettings.parse(flags.tlsMinVersion, flags.tlsCipherSuites);
        tls.http2Refusal().ifPresent(refusal -> {
            throw new IllegalArgumentException("error configuring http2: " + refusal);
        });
        return tls;
    }

    private static KubeletClientOptions kubeletClient(ApiServerFlags flags) {
        return new KubeletClientOptions(
                flags.kubeletClientCertificate,
                flags.kubeletClientKey,
                flags.kubeletCertificateAuthority,
                flags.kubeletPreferredAddressTypes);
    }

    /** EtcdOptions.Validate's check of the reload flag, then the file (automatic reload: polled while serving). */
    private static EncryptionConfig encryption(ApiServerFlags flags, FeatureGates gates) {
        if (flags.encryptionProviderConfig == null) {
            if (flags.encryptionProviderConfigAutomaticReload) {
                throw new IllegalArgumentException(
                        "--encryption-provider-config-automatic-reload must be set with --encryption-provider-config");
            }
            return EncryptionConfig.none();
        }
        EncryptionConfig config;
        try {
            config = EncryptionConfig.load(flags.encryptionProviderConfig);
        } catch (IllegalArgumentException e) {
            if (gates.enabled("KMSv1") && e.getMessage().endsWith(EncryptionConfig.KMS_V1_REFUSAL)) {
                throw new IllegalArgumentException("--feature-gates=KMSv1=true: KMS v1 providers are not emulated by"
                        + " this fake apiserver (KMS v2 is); refusing to start rather than store values unencrypted");
            }
            throw e;
        }
        return flags.encryptionProviderConfigAutomaticReload ? config.withAutomaticReload() : config;
    }

    private static EtcdOptions etcdOptions(ApiServerFlags flags) {
        return new EtcdOptions(flags.etcdCompactionInterval, flags.eventTtl, flags.leaseReuseDurationSeconds);
    }

    private static StorageOptions storage(ApiServerFlags flags) {
        boolean etcd = flags.etcdServers != null && !flags.etcdServers.isEmpty();
        if (!etcd && (flags.etcdCaFile != null || flags.etcdCertFile != null || flags.etcdKeyFile != null)) {
            throw new IllegalArgumentException("--etcd-cafile, --etcd-certfile and --etcd-keyfile need --etcd-servers");
        }
        if (etcd) {
            EtcdConnection connection = new EtcdConnection(
                    EtcdConnection.parseServers(flags.etcdServers),
                    flags.etcdCaFile,
                    flags.etcdCertFile,
                    flags.etcdKeyFile);
            // with --data-dir too, the constructor refuses the pair
            return new StorageOptions(connection, flags.dataDir, flags.etcdPrefix, etcdOptions(flags));
        }
        return new StorageOptions(null, flags.dataDir, flags.etcdPrefix, etcdOptions(flags));
    }

    /** Upstream validates the audit flags before starting, and prints every error (aggregated as Go does). */
    private static AuditOptions audit(AuditOptions options) {
        List<String> errors = options.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(
                    errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
        }
        return options;
    }

    /** pflag's message for a value its type cannot parse, when our converter speaks Go; picocli's otherwise. */
    private static String describeInvalid(CommandLine.ParameterException e) {
        if (e.getCause() instanceof CommandLine.TypeConversionException goError
                && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return "invalid argument \"" + e.getValue() + "\" for \"" + option.longestName() + "\" flag: "
                    + goError.getMessage();
        }
        return e.getMessage();
    }

    static String describeMode(String mode) {
        return PLANNED_MODES.contains(mode)
                ? "--authorization-mode " + mode
                        + " is a kube-apiserver mode that this fake apiserver does not implement yet"
                : "authorization-mode \"" + mode + "\" is not a valid mode";
    }

    /** A kube-apiserver plugin the user enabled that the fake does not emulate. */
    static String describePlugin(String plugin) {
        return "--enable-admission-plugins " + plugin
                + " is a kube-apiserver admission plugin that this fake apiserver does not emulate yet (it emulates "
                + String.join(", ", new java.util.TreeSet<>(AdmissionWiring.EMULATED.keySet()))
                + "); refusing to start rather than ignore it";
    }

    /** pflag's Int64Var: strconv.ParseInt's messages. */
    public static final class GoInt64Converter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                String reason = value.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax";
                throw new CommandLine.TypeConversionException(
                        "strconv.ParseInt: parsing " + GoText.quote(value) + ": " + reason);
            }
        }
    }

    /** The picocli usage text, for --help. */
    public static String usage() {
        return new CommandLine(new ApiServerFlags()).getUsageMessage();
    }

    private static String describeUnknown(List<String> unmatched) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        boolean upstream = UPSTREAM_ONLY_PREFIXES.stream().anyMatch(name::startsWith);
        if (name.startsWith("--audit-")) {
            return "unknown flag: " + name + " (not one of kube-apiserver's --audit-* flags; see --help)";
        }
        if (upstream) {
            return "flag " + name + " is a kube-apiserver flag that this fake apiserver does not implement; "
                    + "refusing to start rather than ignore it";
        }
        return name.startsWith("-")
                ? "unknown flag: " + name
                : "unexpected argument(s): " + String.join(" ", unmatched) + " ("
                        + Arrays.asList("flags take the form --name=value") + ")";
    }
}
