package io.kubetwin.junit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one {@link KubeTwinServer} is started with: immutable, made by {@link #builder()}.
 * <pre>{@code
 * KubeTwinConfig config = KubeTwinConfig.builder()
 *         .user("alice", "dev")
 *         .auditPolicy(AuditPolicy.atLevel("Metadata"))
 *         .build();
 * }</pre>
 */
public final class KubeTwinConfig {
    private final List<String> authorizationModes;
    private final boolean anonymousAuth;
    private final boolean allowPrivileged;
    private final AuditPolicy auditPolicy;
    private final List<String> preload;
    private final List<KubeTwinSettings.ActorSpec> actors;
    private final Admission admission;
    private final Path dataDirectory;
    private final List<String> nodes;
    private final List<String> featureGates;
    private final String emulatedVersion;

    /**
     * The admission flags.
     *
     * @param enable {@code --enable-admission-plugins}
     * @param disable {@code --disable-admission-plugins}
     * @param configurationResource the classpath resource of {@code --admission-control-config-file}, or null
     */
    public record Admission(List<String> enable, List<String> disable, String configurationResource) {
        /**
         * Copies the plugin lists, so that the configuration stays immutable.
         *
         * @param enable {@code --enable-admission-plugins}
         * @param disable {@code --disable-admission-plugins}
         * @param configurationResource the classpath resource of {@code --admission-control-config-file}, or null
         */
        public Admission {
            enable = List.copyOf(enable);
            disable = List.copyOf(disable);
        }
    }

    KubeTwinConfig(
            List<String> authorizationModes,
            boolean anonymousAuth,
            boolean allowPrivileged,
            AuditPolicy auditPolicy,
            List<String> preload,
            List<KubeTwinSettings.ActorSpec> actors,
            Admission admission,
            Path dataDirectory,
            List<String> nodes,
            List<String> featureGates,
            String emulatedVersion) {
        this.nodes = List.copyOf(nodes);
        this.featureGates = List.copyOf(featureGates);
        this.emulatedVersion = emulatedVersion == null || emulatedVersion.isEmpty() ? null : emulatedVersion;
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("two nodes have the same name: " + nodes);
        }
        this.admission = admission;
        this.dataDirectory = dataDirectory;
        this.authorizationModes = List.copyOf(authorizationModes);
        this.anonymousAuth = anonymousAuth;
        this.allowPrivileged = allowPrivileged;
        this.auditPolicy = auditPolicy;
        this.preload = List.copyOf(preload);
        this.actors = List.copyOf(actors);
        long distinct =
                actors.stream().map(KubeTwinSettings.ActorSpec::name).distinct().count();
        if (distinct != actors.size()) {
            throw new IllegalArgumentException("two actors have the same name: "
                    + actors.stream().map(KubeTwinSettings.ActorSpec::name).toList());
        }
    }

    /**
     * A builder starting from the defaults: RBAC, anonymous requests on, no auditing, no objects, no actors.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The configuration {@link KubeTwin @KubeTwin} with all its defaults describes.
     *
     * @return the defaults
     */
    public static KubeTwinConfig defaults() {
        return builder().build();
    }

    /**
     * The authorization modes, in order.
     *
     * @return the modes
     */
    public List<String> authorizationModes() {
        return authorizationModes;
    }

    /**
     * Whether anonymous requests are allowed.
     *
     * @return {@code --anonymous-auth}
     */
    public boolean anonymousAuth() {
        return anonymousAuth;
    }

    /**
     * Whether privileged containers are allowed.
     *
     * @return {@code --allow-privileged} (false by default, as kube-apiserver)
     */
    public boolean allowPrivileged() {
        return allowPrivileged;
    }

    /**
     * The audit policy, if any.
     *
     * @return the policy, or empty when requests are not audited
     */
    public Optional<AuditPolicy> auditPolicy() {
        return Optional.ofNullable(auditPolicy);
    }

    /**
     * The classpath resources preloaded, in order.
     *
     * @return the resource paths
     */
    public List<String> preload() {
        return preload;
    }

    /**
     * The admission plugins enabled and disabled besides kube-apiserver's defaults, and their configuration.
     *
     * @return the admission flags
     */
    public Admission admission() {
        return admission;
    }

    /**
     * Where the cluster is kept across restarts, if anywhere.
     *
     * @return the directory of {@link KubeTwinSettings#dataDirectory(Path)}, or empty when everything is in memory
     */
    public Optional<Path> dataDirectory() {
        return Optional.ofNullable(dataDirectory);
    }

    /**
     * The fake kubelets' node names, in order.
     *
     * @return the names of {@link KubeTwinSettings#node(String...)}
     */
    public List<String> nodes() {
        return nodes;
    }

    /**
     * The {@code --feature-gates} values, in order.
     *
     * @return the pairs of {@link KubeTwinSettings#featureGates(String...)}
     */
    public List<String> featureGates() {
        return featureGates;
    }

    /**
     * The {@code --emulated-version}, if one was given.
     *
     * @return the release of {@link KubeTwinSettings#emulatedVersion(String)}, or empty for the binary's own
     */
    public Optional<String> emulatedVersion() {
        return Optional.ofNullable(emulatedVersion);
    }

    List<KubeTwinSettings.ActorSpec> actors() {
        return actors;
    }

    /** Builds a {@link KubeTwinConfig}. Not thread-safe. */
    public static final class Builder extends KubeTwinSettings<Builder> {
        private Builder() {}

        /**
         * The configuration.
         *
         * @return an immutable configuration
         * @throws IllegalArgumentException when two actors or two nodes share a name
         */
        public KubeTwinConfig build() {
            return toConfig();
        }
    }
}
