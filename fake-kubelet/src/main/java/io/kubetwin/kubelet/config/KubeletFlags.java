package io.kubetwin.kubelet.config;

import io.kubetwin.pki.GoDuration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The kubelet's own flags (cmd/kubelet/app/options/options.go) for the subset the fake implements, plus two
 * fake-only flags prefixed {@code --kubetwin-}. Without {@code --config} the baseline is the command line's
 * legacy defaults; with it, the file over the v1beta1 defaults; flags given explicitly override either, as
 * upstream re-parses the command line over the loaded file. Any other flag is refused with a message naming
 * it: a flag the fake silently ignored would make a security test pass for the wrong reason.
 */
@Command(
        name = "fake-kubelet",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A fake kubelet API (ports 10250/10255) for security testing (kubetwin).")
public final class KubeletFlags {
    /** Real kubelet flags the fake does not implement (so the error can say so). */
    private static final Set<String> UPSTREAM_ONLY_PREFIXES = Set.of(
            "--bootstrap-kubeconfig",
            "--container-runtime-endpoint",
            "--cert-dir",
            "--rotate-",
            "--register-",
            "--node-labels",
            "--pod-",
            "--cgroup",
            "--eviction-",
            "--healthz-",
            "--v",
            "--cluster-dns",
            "--cluster-domain",
            "--root-dir",
            "--max-pods",
            "--runtime-",
            "--fail-swap-on",
            "--provider-id",
            "--cloud-");

    @Option(names = "--config", description = "A KubeletConfiguration (kubelet.config.k8s.io/v1beta1) file.")
    Path config;

    @Option(names = "--address", description = "The IP address to serve on (0.0.0.0 for all interfaces).")
    String address;

    @Option(
            names = "--port",
            description = "The authenticated HTTPS port (default 10250; 0 picks a free port in the fake).")
    Integer port;

    @Option(
            names = "--read-only-port",
            description = "The unauthenticated read-only HTTP port; 0 disables it (default 10255).")
    Integer readOnlyPort;

    @Option(names = "--tls-cert-file", description = "Serving certificate (with intermediates).")
    Path tlsCertFile;

    @Option(names = "--tls-private-key-file", description = "Key of --tls-cert-file.")
    Path tlsPrivateKeyFile;

    @Option(
            names = "--anonymous-auth",
            arity = "0..1",
            fallbackValue = "true",
            description = "Answer requests without credentials as system:anonymous (default true without --config).")
    String anonymousAuth;

    @Option(
            names = "--authentication-token-webhook",
            arity = "0..1",
            fallbackValue = "true",
            description = "Authenticate bearer tokens with a TokenReview to the --kubeconfig apiserver.")
    String authenticationTokenWebhook;

    @Option(
            names = "--authentication-token-webhook-cache-ttl",
            description = "How long TokenReview answers are cached (Go duration, default 2m0s).")
    String authenticationTokenWebhookCacheTtl;

    @Option(names = "--client-ca-file", description = "CA bundle that verifies client certificates.")
    Path clientCaFile;

    @Option(
            names = "--authorization-mode",
            description = "AlwaysAllow or Webhook (default AlwaysAllow without --config).")
    String authorizationMode;

    @Option(
            names = "--authorization-webhook-cache-authorized-ttl",
            description = "How long allowed SubjectAccessReview answers are cached (default 5m0s).")
    String authorizationWebhookCacheAuthorizedTtl;

    @Option(
            names = "--authorization-webhook-cache-unauthorized-ttl",
            description = "How long other SubjectAccessReview answers are cached (default 30s).")
    String authorizationWebhookCacheUnauthorizedTtl;

    @Option(
            names = "--kubeconfig",
            description =
                    "The kubeconfig of the apiserver that the webhook modes ask (TokenReview, SubjectAccessReview).")
    Path kubeconfig;

    @Option(names = "--hostname-override", description = "The node name, instead of the host name.")
    String hostnameOverride;

    @Option(names = "--node-ip", description = "The node's IP address (added to a generated serving certificate).")
    String nodeIp;

    @Option(
            names = "--tls-cipher-suites",
            split = ",",
            description =
                    "Comma-separated list of cipher suites for the server (Go's names); Go's defaults if omitted.")
    List<String> tlsCipherSuites;

    @Option(
            names = "--tls-min-version",
            description = "Minimum TLS version supported: VersionTLS10, VersionTLS11, VersionTLS12, VersionTLS13.")
    String tlsMinVersion;

    @Option(names = "--feature-gates", description = "A=true,B=false; known: KubeletFineGrainedAuthz (default true).")
    String featureGates;

    @Option(
            names = "--kubetwin-serving-ca-cert-file",
            description = "Fake only: sign a generated serving certificate with this CA instead of self-signing.")
    Path servingCaCertFile;

    @Option(
            names = "--kubetwin-serving-ca-key-file",
            description = "Fake only: key of --kubetwin-serving-ca-cert-file.")
    Path servingCaKeyFile;

    private KubeletFlags() {}

    /** Parses the command line into the effective configuration; IllegalArgumentException with a readable message. */
    public static KubeletConfig parse(List<String> args) {
        KubeletFlags f = new KubeletFlags();
        try {
            new CommandLine(f).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new IllegalArgumentException(describeUnknown(e.getUnmatched()), e);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        KubeletConfig.Builder b =
                f.config == null ? KubeletConfig.flagDefaults() : KubeletConfigurationFile.load(f.config);
        if (f.address != null) b.address(f.address);
        if (f.port != null) b.port(f.port);
        if (f.readOnlyPort != null) b.readOnlyPort(f.readOnlyPort);
        if (f.tlsCertFile != null) b.tlsCertFile(f.tlsCertFile);
        if (f.tlsPrivateKeyFile != null) b.tlsPrivateKeyFile(f.tlsPrivateKeyFile);
        if (f.anonymousAuth != null) b.anonymousEnabled(GoBool.parse(f.anonymousAuth, "--anonymous-auth"));
        if (f.authenticationTokenWebhook != null) {
            b.webhookAuthnEnabled(GoBool.parse(f.authenticationTokenWebhook, "--authentication-token-webhook"));
        }
        if (f.clientCaFile != null) b.clientCaFile(f.clientCaFile);
        if (f.authorizationMode != null) b.authorizationMode(AuthorizationMode.parse(f.authorizationMode));
        if (f.authenticationTokenWebhookCacheTtl != null) {
            b.webhookAuthnCacheTtl(
                    duration(f.authenticationTokenWebhookCacheTtl, "--authentication-token-webhook-cache-ttl"));
        }
        if (f.authorizationWebhookCacheAuthorizedTtl != null) {
            b.webhookAuthorizedTtl(
                    duration(f.authorizationWebhookCacheAuthorizedTtl, "--authorization-webhook-cache-authorized-ttl"));
        }
        if (f.authorizationWebhookCacheUnauthorizedTtl != null) {
            b.webhookUnauthorizedTtl(duration(
                    f.authorizationWebhookCacheUnauthorizedTtl, "--authorization-webhook-cache-unauthorized-ttl"));
        }
        if (f.kubeconfig != null) b.kubeconfig(f.kubeconfig);
        if (f.hostnameOverride != null) b.hostnameOverride(f.hostnameOverride);
        if (f.nodeIp != null) b.nodeIp(f.nodeIp);
        if (f.featureGates != null) b.featureGates(FeatureGates.parse(f.featureGates));
        if (f.tlsCipherSuites != null) b.tlsCipherSuites(f.tlsCipherSuites);
        if (f.tlsMinVersion != null) b.tlsMinVersion(f.tlsMinVersion);
        if (f.servingCaCertFile != null) b.servingCaCertFile(f.servingCaCertFile);
        if (f.servingCaKeyFile != null) b.servingCaKeyFile(f.servingCaKeyFile);
        return b.build();
    }

    /** A Go duration flag value (time.ParseDuration), with the flag's name in the error. */
    static Duration duration(String value, String flag) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    /** The picocli usage text, for --help. */
    public static String usage() {
        return new CommandLine(new KubeletFlags()).getUsageMessage();
    }

    static String describeUnknown(List<String> unmatched) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
        if (UPSTREAM_ONLY_PREFIXES.stream().anyMatch(name::startsWith)) {
            return "flag " + name + " is a kubelet flag that this fake kubelet does not implement; "
                    + "refusing to start rather than ignore it";
        }
        return name.startsWith("-")
                ? "unknown flag: " + name
                : "unexpected argument(s): " + String.join(" ", unmatched);
    }
}
