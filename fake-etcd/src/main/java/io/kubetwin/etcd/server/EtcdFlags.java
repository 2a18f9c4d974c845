package io.kubetwin.etcd.server;

import io.kubetwin.etcd.mvcc.StoreOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * etcd's command-line flags that the fake implements, with etcd v3.6.4's names and defaults
 * (server/embed/config.go AddFlags, server/etcdmain/config.go). A flag etcd has and the fake does not is
 * refused as unknown, never ignored. {@link #toConfig} checks them as etcd does, with etcd's texts.
 */
@Command(name = "etcd", mixinStandardHelpOptions = false)
public final class EtcdFlags {
    static final String DEFAULT_LISTEN_CLIENT_URLS = "http://localhost:2379";
    static final String DEFAULT_LISTEN_PEER_URLS = "http://localhost:2380";

    @Option(names = "--name")
    String name = "default";

    @Option(names = "--data-dir")
    String dataDir = "";

    @Option(names = "--listen-client-urls")
    String listenClientUrls = DEFAULT_LISTEN_CLIENT_URLS;

    @Option(names = "--advertise-client-urls")
    String advertiseClientUrls = DEFAULT_LISTEN_CLIENT_URLS;

    @Option(names = "--listen-peer-urls")
    String listenPeerUrls = DEFAULT_LISTEN_PEER_URLS;

    @Option(names = "--initial-advertise-peer-urls")
    String initialAdvertisePeerUrls = DEFAULT_LISTEN_PEER_URLS;

    @Option(names = "--initial-cluster")
    String initialCluster = "";

    @Option(names = "--initial-cluster-token")
    String initialClusterToken = "etcd-cluster";

    @Option(names = "--initial-cluster-state")
    String initialClusterState = "new";

    @Option(names = "--cert-file")
    String certFile = "";

    @Option(names = "--key-file")
    String keyFile = "";

    @Option(names = "--trusted-ca-file")
    String trustedCaFile = "";

    @Option(names = "--client-cert-auth", arity = "0..1", fallbackValue = "true")
    boolean clientCertAuth;

    @Option(names = "--auto-tls", arity = "0..1", fallbackValue = "true")
    boolean autoTls;

    @Option(names = "--peer-cert-file")
    String peerCertFile = "";

    @Option(names = "--peer-key-file")
    String peerKeyFile = "";

    @Option(names = "--peer-trusted-ca-file")
    String peerTrustedCaFile = "";

    @Option(names = "--peer-client-cert-auth", arity = "0..1", fallbackValue = "true")
    boolean peerClientCertAuth;

    @Option(names = "--peer-auto-tls", arity = "0..1", fallbackValue = "true")
    boolean peerAutoTls;

    @Option(names = "--self-signed-cert-validity")
    int selfSignedCertValidity = 1;

    @Option(names = "--max-request-bytes")
    long maxRequestBytes = 1536 * 1024;

    @Option(names = "--quota-backend-bytes")
    long quotaBackendBytes = 0;

    @Option(names = "--max-txn-ops")
    int maxTxnOps = 128;

    @Option(names = "--logger")
    String logger = "zap";

    @Option(names = "--log-level")
    String logLevel = "info";

    @Option(names = "--version", arity = "0..1", fallbackValue = "true")
    boolean version;

    @Option(
            names = {"--help", "--h"},
            arity = "0..1",
            fallbackValue = "true")
    boolean help;

    /** {@code --version}: print the version and exit (etcdmain/config.go). */
    public boolean versionRequested() {
        return version;
    }

    /** {@code --help} or {@code -h}: print the usage and exit 0. */
    public boolean helpRequested() {
        return help;
    }

    private boolean listenClientUrlsSet;
    private boolean advertiseClientUrlsSet;

    /**
     * Parses etcd's command line; Go's flag package accepts {@code -flag} as well as {@code --flag}. Throws a
     * {@link ConfigException} of kind FLAG with Go's flag error text.
     */
    public static EtcdFlags parse(String... args) {
        EtcdFlags flags = new EtcdFlags();
        CommandLine cli = new CommandLine(flags);
        cli.setUnmatchedOptionsArePositionalParams(false);
        List<String> normalized = new ArrayList<>();
        for (String a : args) {
            normalized.add(a.startsWith("-") && !a.startsWith("--") && a.length() > 1 ? "-" + a : a);
        }
        CommandLine.ParseResult result;
        try {
            result = cli.parseArgs(normalized.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            String arg = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            if (!arg.startsWith("-")) {
                throw new ConfigException(ConfigException.Kind.VERIFY, "\"" + arg + "\" is not a valid flag");
            }
            String flag = arg.replaceFirst("^-+", "").replaceFirst("=.*$", "");
            throw new ConfigException(ConfigException.Kind.FLAG, "flag provided but not defined: -" + flag);
        } catch (CommandLine.ParameterException e) {
            throw new ConfigException(ConfigException.Kind.FLAG, goFlagError(e));
        }
        flags.listenClientUrlsSet = result.hasMatchedOption("--listen-client-urls");
        flags.advertiseClientUrlsSet = result.hasMatchedOption("--advertise-client-urls");
        return flags;
    }

    private static String goFlagError(CommandLine.ParameterException e) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec o && e.getValue() != null) {
            return "invalid value \"" + e.getValue() + "\" for flag -"
                    + o.longestName().substring(2) + ": parse error";
        }
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return "flag needs an argument: -" + o.longestName().substring(2);
        }
        return e.getMessage();
    }

    /** Checks the flags as etcd does (etcdmain/config.go, embed/config.go Validate) and builds the configuration. */
    public EtcdConfig toConfig(ZapLog log) {
        if (listenClientUrlsSet && !advertiseClientUrlsSet) {
            throw new ConfigException(
                    ConfigException.Kind.VERIFY,
                    "--advertise-client-urls is required when --listen-client-urls is set explicitly");
        }
        List<URI> lpurls = urls("listen-peer-urls", listenPeerUrls);
        List<URI> apurls = urls("initial-advertise-peer-urls", initialAdvertisePeerUrls);
        List<URI> lcurls = urls("listen-client-urls", listenClientUrls);
        List<URI> acurls = urls("advertise-client-urls", advertiseClientUrls);
        checkBindUrls(lpurls);
        checkBindUrls(lcurls);
        log.warn(
                "embed/config.go",
                "Running http and grpc server on single port. This is not recommended for production.");
        if (!"new".equals(initialClusterState) && !"existing".equals(initialClusterState)) {
            throw new ConfigException(
                    ConfigException.Kind.FLAG,
                    "invalid value \"" + initialClusterState + "\" for flag -initial-cluster-state: invalid value \""
                            + initialClusterState + "\"");
        }
        checkSingleMember(apurls);
        if (!"zap".equals(logger)) {
            throw new ConfigException(ConfigException.Kind.VERIFY, "unknown logger option " + logger);
        }
        Path dir = Path.of(dataDir.isEmpty() ? name + ".etcd" : dataDir);
        StoreOptions options = StoreOptions.defaults()
                .withMaxRequestBytes(maxRequestBytes)
                .withQuotaBackendBytes(quotaBackendBytes)
                .withMaxTxnOps(maxTxnOps);
        return new EtcdConfig(
                name,
                dir,
                lcurls,
                acurls,
                lpurls,
                apurls,
                initialClusterToken,
                new TlsInfo(certFile, keyFile, trustedCaFile, clientCertAuth),
                new TlsInfo(peerCertFile, peerKeyFile, peerTrustedCaFile, peerClientCertAuth),
                autoTls,
                peerAutoTls,
                selfSignedCertValidity,
                options);
    }

    /** The fake is one member: --initial-cluster may name only this member, at its advertised peer URLs. */
    private void checkSingleMember(List<URI> apurls) {
        if (initialCluster.isEmpty()) {
            return;
        }
        for (String entry : initialCluster.split(",")) {
            String member = entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry;
            if (!member.equals(name)) {
                throw new ConfigException(
                        ConfigException.Kind.START,
                        "fake-etcd runs a single member: --initial-cluster names member \"" + member + "\" besides \""
                                + name + "\"");
            }
        }
        if (!initialCluster.contains(name + "=")) {
            throw new ConfigException(
                    ConfigException.Kind.START,
                    "couldn't find local name \"" + name + "\" in the initial cluster configuration");
        }
    }

    /** Go's types.NewURLs, as the URL flags parse their value. */
    static List<URI> urls(String flag, String value) {
        List<URI> out = new ArrayList<>();
        for (String raw : value.split(",")) {
            String in = raw.trim();
            URI u;
            try {
                u = new URI(in);
            } catch (URISyntaxException e) {
                throw new ConfigException(
                        ConfigException.Kind.FLAG,
                        "invalid value \"" + value + "\" for flag -" + flag + ": parse \"" + in + "\": "
                                + e.getReason());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            if (scheme.equals("http") || scheme.equals("https")) {
                if (u.getPort() < 0 || u.getHost() == null && !in.contains("://:")) {
                    throw new ConfigException(
                            ConfigException.Kind.FLAG,
                            "invalid value \"" + value + "\" for flag -" + flag
                                    + ": URL address does not have the form \"host:port\": " + in);
                }
                if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                    throw new ConfigException(
                            ConfigException.Kind.FLAG,
                            "invalid value \"" + value + "\" for flag -" + flag + ": URL must not contain a path: "
                                    + in);
                }
            } else if (scheme.equals("unix") || scheme.equals("unixs")) {
                throw new ConfigException(
                        ConfigException.Kind.START, "fake-etcd does not listen on unix sockets: " + in);
            } else {
                throw new ConfigException(
                        ConfigException.Kind.FLAG,
                        "invalid value \"" + value + "\" for flag -" + flag
                                + ": URL scheme must be http, https, unix, or unixs: " + in);
            }
            out.add(u);
        }
        out.sort((a, b) -> a.toString().compareTo(b.toString())); // types.URLs.Sort
        return out;
    }

    /** embed/config.go checkBindURLs: listeners bind to IP addresses or localhost, never other names. */
    private static void checkBindUrls(List<URI> urls) {
        for (URI u : urls) {
            String host = u.getHost();
            if ("localhost".equals(host)) {
                continue;
            }
            if (host == null || !isIp(host)) {
                throw new ConfigException(ConfigException.Kind.VERIFY, "expected IP in URL for binding (" + u + ")");
            }
        }
    }

    private static boolean isIp(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            InetAddress.getByName(h);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
