package io.kubetwin.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A kubeconfig file (client-go {@code clientcmd/api/v1} {@code Config}), written in the exact shape
 * {@code kubectl config set-cluster/set-credentials/set-context} and {@code kubeadm kubeconfig user}
 * produce, and read from any of them (kubectl, kubeadm, k3s, kind). Every runner target reduces to one
 * of these. Immutable and thread-safe; file paths inside are resolved against the kubeconfig's folder.
 */
public final class Kubeconfig {
    private static final String ANONYMOUS = "anonymous";

    /**
     * A {@code clusters[]} entry.
     *
     * @param certificateAuthorityData PEM text (base64-encoded in the file); null if absent
     * @param certificateAuthority     path of a CA file; null if absent
     */
    public record Cluster(
            String name,
            String server,
            String certificateAuthorityData,
            String certificateAuthority,
            boolean insecureSkipTlsVerify,
            String tlsServerName) {
        public Cluster {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A {@code contexts[]} entry; {@code namespace} is null when absent. */
    public record Context(String name, String cluster, String user, String namespace) {
        public Context {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A {@code users[]} entry. {@code -Data} components hold PEM text (base64-encoded in the file); the others
     * are file paths, the token itself, or basic-auth {@code username} and {@code password}. Absent values are null.
     */
    public record User(
            String name,
            String clientCertificateData,
            String clientKeyData,
            String clientCertificate,
            String clientKey,
            String token,
            String tokenFile,
            String username,
            String password) {
        public User {
            Objects.requireNonNull(name, "name");
        }
    }

    private final List<Cluster> clusters;
    private final List<Context> contexts;
    private final List<User> users;
    private final String currentContext;
    private final Path baseDirectory;

    Kubeconfig(
            List<Cluster> clusters,
            List<Context> contexts,
            List<User> users,
            String currentContext,
            Path baseDirectory) {
        this.clusters = List.copyOf(clusters);
        this.contexts = List.copyOf(contexts);
        this.users = List.copyOf(users);
        this.currentContext = currentContext;
        this.baseDirectory = baseDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's entries, e.g. to replace a cluster's CA bundle. */
    public Builder toBuilder() {
        Builder b = new Builder();
        clusters.forEach(b::cluster);
        contexts.forEach(b::context);
        users.forEach(b::user);
        return b.currentContext(currentContext).baseDirectory(baseDirectory);
    }

    /**
     * One cluster, one certificate user and the context {@code user@cluster} as current context: what
     * kubeadm's {@code CreateWithCerts} builds (cmd/kubeadm/app/util/kubeconfig/kubeconfig.go).
     */
    public static Kubeconfig withClientCertificate(
            String clusterName, String server, String caPem, String userName, String certificatePem, String keyPem) {
        String context = userName + "@" + clusterName;
        return builder()
                .cluster(clusterName, server, caPem)
                .userCertificate(userName, certificatePem, keyPem)
                .context(context, clusterName, userName)
                .currentContext(context)
                .build();
    }

    /** As {@link #withClientCertificate} with a credential. */
    public static Kubeconfig withClientCertificate(
            String clusterName, String server, String caPem, String userName, Credential credential) {
        return withClientCertificate(
                clusterName, server, caPem, userName, credential.certificatePem(), credential.privateKeyPem());
    }

    /**
     * One cluster and a user without credentials, so that requests arrive anonymous. kubectl prompts for a user
     * name when a user entry has no credentials at all, so the user carries {@code username: anonymous} without a
     * password: client-go then sends {@code Authorization: Basic YW5vbnltb3VzOg==}, which kube-apiserver (no
     * basic-auth authenticator since 1.19) ignores.
     */
    public static Kubeconfig anonymous(String clusterName, String server, String caPem) {
        String context = ANONYMOUS + "@" + clusterName;
        return builder()
                .cluster(clusterName, server, caPem)
                .user(new User(ANONYMOUS, null, null, null, null, null, null, ANONYMOUS, null))
                .context(context, clusterName, ANONYMOUS)
                .currentContext(context)
                .build();
    }

    /** One cluster, one token user, context {@code user@cluster}: kubeadm's {@code CreateWithToken}. */
    public static Kubeconfig withToken(String clusterName, String server, String caPem, String userName, String token) {
        String context = userName + "@" + clusterName;
        return builder()
                .cluster(clusterName, server, caPem)
                .userToken(userName, token)
                .context(context, clusterName, userName)
                .currentContext(context)
                .build();
    }

    // ---------------------------------------------------------------- reading and writing

    /** The YAML kubectl would write for this config (keys sorted, entries sorted by name). */
    public String toYaml() {
        return KubeconfigYaml.write(this);
    }

    /** Writes {@link #toYaml()} with mode 0600 where the file system supports POSIX permissions. */
    public void write(Path file) throws IOException {
        PrivateFiles.write(file, toYaml());
    }

    /** Parses YAML (or JSON); relative file paths inside resolve against the working directory, as kubectl does. */
    public static Kubeconfig parse(String yaml) {
        return KubeconfigYaml.parse(yaml, null);
    }

    /** Parses YAML whose relative file paths resolve against {@code baseDirectory}. */
    public static Kubeconfig parse(String yaml, Path baseDirectory) {
        return KubeconfigYaml.parse(yaml, baseDirectory);
    }

    /** Reads a kubeconfig file; relative paths inside resolve against the file's folder. */
    public static Kubeconfig read(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        return KubeconfigYaml.parse(Files.readString(file, StandardCharsets.UTF_8), dir);
    }

    // ---------------------------------------------------------------- accessors

    public List<Cluster> clusters() {
        return clusters;
    }

    public List<Context> contexts() {
        return contexts;
    }

    public List<User> users() {
        return users;
    }

    /** {@code current-context}, empty when unset. */
    public Optional<String> currentContextName() {
        return Optional.ofNullable(currentContext).filter(s -> !s.isEmpty());
    }

    /** The folder relative paths resolve against; null means the working directory. */
    public Path baseDirectory() {
        return baseDirectory;
    }

    /** The current context; fails with kubectl's wording when it is unset or missing. */
    public Context currentContext() {
        String name = currentContextName().orElseThrow(() -> new PkiException("current-context is not set"));
        return find(contexts, Context::name, name)
                .orElseThrow(() -> new PkiException("context was not found for specified context: " + name));
    }

    public Cluster currentCluster() {
        Context c = currentContext();
        return find(clusters, Cluster::name, c.cluster())
                .orElseThrow(() ->
                        new PkiException("cluster \"" + c.cluster() + "\" not found for context \"" + c.name() + "\""));
    }

    /** The current context's user; empty when the context names no user (anonymous access). */
    public Optional<User> currentUser() {
        Context c = currentContext();
        if (c.user() == null || c.user().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(find(users, User::name, c.user())
                .orElseThrow(() ->
                        new PkiException("user \"" + c.user() + "\" not found for context \"" + c.name() + "\"")));
    }

    /** The current cluster's server URL. */
    public String server() {
        String server = currentCluster().server();
        if (server == null || server.isEmpty()) {
            throw new PkiException(
                    "no server found for cluster \"" + currentCluster().name() + "\"");
        }
        return server;
    }

    /** The current context's namespace, if it sets one. */
    public Optional<String> namespace() {
        return Optional.ofNullable(currentContext().namespace()).filter(s -> !s.isEmpty());
    }

    /** The current cluster's CA bundle: {@code certificate-authority-data}, else the {@code certificate-authority} file. */
    public Optional<String> certificateAuthorityPem() {
        Cluster c = currentCluster();
        return data(c.certificateAuthorityData(), c.certificateAuthority());
    }

    /** The CA certificates of {@link #certificateAuthorityPem()}, empty when there is none. */
    public List<X509Certificate> certificateAuthorities() {
        return certificateAuthorityPem().map(Pem::parseCertificates).orElse(List.of());
    }

    public boolean insecureSkipTlsVerify() {
        return currentCluster().insecureSkipTlsVerify();
    }

    public Optional<String> clientCertificatePem() {
        return currentUser().flatMap(u -> data(u.clientCertificateData(), u.clientCertificate()));
    }

    public Optional<String> clientKeyPem() {
        return currentUser().flatMap(u -> data(u.clientKeyData(), u.clientKey()));
    }

    /** The client certificate and key, when the current user has both. */
    public Optional<Credential> clientCredential() {
        Optional<String> cert = clientCertificatePem();
        Optional<String> key = clientKeyPem();
        return cert.isPresent() && key.isPresent()
                ? Optional.of(Credential.fromPem(cert.get(), key.get()))
                : Optional.empty();
    }

    /** The bearer token: {@code token}, else the trimmed content of {@code tokenFile}. */
    public Optional<String> token() {
        return currentUser().flatMap(u -> {
            if (u.token() != null && !u.token().isEmpty()) {
                return Optional.of(u.token());
            }
            return data(null, u.tokenFile()).map(String::trim);
        });
    }

    private Optional<String> data(String inline, String file) {
        if (inline != null && !inline.isEmpty()) {
            return Optional.of(inline);
        }
        if (file == null || file.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(file);
        if (!p.isAbsolute() && baseDirectory != null) {
            p = baseDirectory.resolve(p);
        }
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + " named in kubeconfig", e);
        }
    }

    private static <T> Optional<T> find(List<T> items, Function<T, String> name, String wanted) {
        return items.stream().filter(i -> name.apply(i).equals(wanted)).findFirst();
    }

    @Override
    public String toString() {
        return "Kubeconfig[current-context=" + currentContext + ", clusters=" + clusters.size() + ", users="
                + users.size() + "]";
    }

    /**
     * Builds a config; a later entry with an existing name replaces it, as {@code kubectl config set-*} does.
     * Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, Cluster> clusters = new LinkedHashMap<>();
        private final Map<String, Context> contexts = new LinkedHashMap<>();
        private final Map<String, User> users = new LinkedHashMap<>();
        private String currentContext;
        private Path baseDirectory;

        private Builder() {}

        /** A cluster with an embedded CA ({@code caPem} null for none, so the system trust store applies). */
        public Builder cluster(String name, String serverUrl, String caPem) {
            return cluster(new Cluster(name, serverUrl, caPem, null, false, null));
        }

        /** A cluster whose certificate is not verified ({@code insecure-skip-tls-verify: true}). */
        public Builder insecureCluster(String name, String serverUrl) {
            return cluster(new Cluster(name, serverUrl, null, null, true, null));
        }

        public Builder cluster(Cluster cluster) {
            clusters.put(cluster.name(), cluster);
            return this;
        }

        public Builder userCertificate(String name, String certificatePem, String keyPem) {
            return user(new User(name, certificatePem, keyPem, null, null, null, null, null, null));
        }

        public Builder userCertificate(String name, Credential credential) {
            return userCertificate(name, credential.certificatePem(), credential.privateKeyPem());
        }

        public Builder userToken(String name, String token) {
            return user(new User(name, null, null, null, null, token, null, null, null));
        }

        public Builder user(User user) {
            users.put(user.name(), user);
            return this;
        }

        public Builder context(String name, String cluster, String user) {
            return context(new Context(name, cluster, user, null));
        }

        public Builder context(String name, String cluster, String user, String namespace) {
            return context(new Context(name, cluster, user, namespace));
        }

        public Builder context(Context context) {
            contexts.put(context.name(), context);
            return this;
        }

        public Builder currentContext(String name) {
            this.currentContext = name;
            return this;
        }

        /** Folder that relative file paths resolve against. */
        public Builder baseDirectory(Path directory) {
            this.baseDirectory = directory;
            return this;
        }

        public Kubeconfig build() {
            return new Kubeconfig(
                    new ArrayList<>(clusters.values()),
                    new ArrayList<>(contexts.values()),
                    new ArrayList<>(users.values()),
                    currentContext,
                    baseDirectory);
        }
    }
}
