package io.kubetwin.pki;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubeadm kubeconfig user} without a kubeadm config file (k/k cmd/kubeadm/app/cmd/kubeconfig.go):
 * issues a client certificate with CN = {@code --client-name} and O = each {@code --org}, signed by the
 * cluster CA, and prints a kubeconfig with cluster {@code --cluster-name}, user {@code <client-name>} and
 * current context {@code <client-name>@<cluster-name>}. With {@code --token} the user gets that token
 * instead of a certificate, as in kubeadm.
 */
@Command(
        name = "kubeconfig-user",
        mixinStandardHelpOptions = true,
        description = "Output a kubeconfig file for an additional user.")
public final class KubeconfigUserCommand implements Callable<Integer> {
    /** kubeadm's constants.CertificateValidity. */
    static final Duration CERTIFICATE_VALIDITY = Duration.ofHours(8760);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--client-name",
            required = true,
            description = "The name of user. It will be used as the CN if client certificates are created")
    String clientName;

    @Option(
            names = "--org",
            split = ",",
            description = "The organizations of the client certificate (groups). Repeatable or comma-separated")
    List<String> organizations = new ArrayList<>();

    @Option(
            names = "--cert-dir",
            defaultValue = "/etc/kubernetes/pki",
            description = "Folder holding ca.crt and ca.key (default: ${DEFAULT-VALUE})")
    Path certDir;

    @Option(names = "--ca-cert", description = "CA certificate (default: <cert-dir>/ca.crt)")
    Path caCert;

    @Option(names = "--ca-key", description = "CA private key (default: <cert-dir>/ca.key)")
    Path caKey;

    @Option(
            names = "--server",
            defaultValue = "https://127.0.0.1:6443",
            description = "API server URL (default: ${DEFAULT-VALUE})")
    String server;

    @Option(
            names = "--cluster-name",
            defaultValue = "kubernetes",
            description = "Cluster name in the kubeconfig (default: ${DEFAULT-VALUE})")
    String clusterName;

    @Option(
            names = "--validity-period",
            defaultValue = "8760h",
            converter = GoDurationConverter.class,
            description = "The validity period of the client certificate, a Go duration (default: ${DEFAULT-VALUE})")
    Duration validityPeriod;

    @Option(
            names = "--key-type",
            defaultValue = "rsa",
            converter = KeyTypeConverter.class,
            description = "Client key type: rsa (RSA-2048) or ecdsa (ECDSA-P256) (default: ${DEFAULT-VALUE})")
    KeyType keyType;

    @Option(
            names = "--token",
            description = "The token that should be used as the authentication mechanism for this kubeconfig, "
                    + "instead of client certificates")
    String token;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (validityPeriod.compareTo(CERTIFICATE_VALIDITY) > 0) {
            err.printf(
                    "WARNING: the specified certificate validity period %s is longer than the default duration %s, "
                            + "this may increase security risks.%n",
                    GoDuration.format(validityPeriod), GoDuration.format(CERTIFICATE_VALIDITY));
        }
        Path certFile = caCert != null ? caCert : certDir.resolve("ca.crt");
        Path keyFile = caKey != null ? caKey : certDir.resolve("ca.key");
        CertificateAuthority ca;
        try {
            ca = CertificateAuthority.load(certFile, keyFile);
        } catch (NoSuchFileException e) {
            err.println("error: couldn't create a kubeconfig; the CA files couldn't be loaded: " + "open " + e.getFile()
                    + ": no such file or directory");
            return 1;
        } catch (IOException | PkiException e) {
            err.println("error: couldn't create a kubeconfig; the CA files couldn't be loaded: " + e.getMessage());
            return 1;
        }
        Kubeconfig config;
        if (token != null && !token.isEmpty()) {
            config = Kubeconfig.withToken(clusterName, server, ca.certificatePem(), clientName, token);
        } else {
            Credential credential = ca.issue(CertificateSpec.client(clientName)
                    .organizations(organizations)
                    .notAfter(Instant.now().plus(validityPeriod))
                    .keyType(keyType)
                    .build());
            config = Kubeconfig.withClientCertificate(clusterName, server, ca.certificatePem(), clientName, credential);
        }
        out.print(config.toYaml());
        out.flush();
        return 0;
    }

    /** The command ready to execute; like Go's pflag, a repeated single-valued flag keeps its last value. */
    public static CommandLine commandLine() {
        return new CommandLine(new KubeconfigUserCommand()).setOverwrittenOptionsAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Go duration flag values ({@code 8760h}, {@code 1h30m}). */
    static final class GoDurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return GoDuration.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code rsa}/{@code ecdsa}, or kubeadm's {@code RSA-2048}/{@code ECDSA-P256} encryptionAlgorithm names. */
    static final class KeyTypeConverter implements CommandLine.ITypeConverter<KeyType> {
        @Override
        public KeyType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "rsa", "rsa-2048" -> KeyType.RSA_2048;
                case "ecdsa", "ec", "ecdsa-p256" -> KeyType.EC_P256;
                default ->
                    throw new CommandLine.TypeConversionException(
                            "unknown key type \"" + value + "\"; use rsa or ecdsa");
            };
        }
    }
}
