package io.kubetwin.junit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The settings shared by {@link KubeTwinConfig.Builder} and {@link KubeTwinExtension.Builder}: everything
 * {@link KubeTwin @KubeTwin} offers, and audit policies built in code. Starts from the defaults of a hardened
 * cluster: RBAC, anonymous requests on (as kube-apiserver), no auditing, no preloaded objects, no actors.
 *
 * @param <B> the concrete builder, returned by every method for chaining
 */
public abstract class KubeTwinSettings<B extends KubeTwinSettings<B>> {
    private List<String> authorizationModes = List.of("RBAC");
    private boolean anonymousAuth = true;
    private boolean allowPrivileged;
    private AuditPolicy auditPolicy;
    private final List<String> preload = new ArrayList<>();
    private final List<ActorSpec> actors = new ArrayList<>();
    private List<String> enableAdmissionPlugins = List.of();
    private List<String> disableAdmissionPlugins = List.of();
    private String admissionConfiguration;
    private Path dataDirectory;
    private final List<String> nodes = new ArrayList<>();
    private final List<String> featureGates = new ArrayList<>();
    private String emulatedVersion;

    /** For the two builders of this package. */
    KubeTwinSettings() {}

    private B self() {
        @SuppressWarnings("unchecked")
        B self = (B) this;
        return self;
    }

    /**
     * {@code --authorization-mode}, in order.
     *
     * @param modes {@code RBAC}, {@code AlwaysAllow}, {@code AlwaysDeny}
     * @return this builder
     */
    public B authorizationModes(String... modes) {
        this.authorizationModes = List.of(modes);
        return self();
    }

    /**
     * {@code --anonymous-auth}.
     *
     * @param enabled whether requests without credentials act as {@code system:anonymous}
     * @return this builder
     */
    public B anonymousAuth(boolean enabled) {
        this.anonymousAuth = enabled;
        return self();
    }

    /**
     * {@code --allow-privileged}: false by default, as kube-apiserver, so pods and pod templates with privileged
     * containers are refused in validation ({@code spec.containers[0].securityContext.privileged: Forbidden:
     * disallowed by cluster policy}); kubeadm's clusters set it to true.
     *
     * @param allowed whether containers may run privileged
     * @return this builder
     */
    public B allowPrivileged(boolean allowed) {
        this.allowPrivileged = allowed;
        return self();
    }

    /**
     * Audits the server's requests with {@code policy} into a log file that {@link AuditTrail} reads.
     *
     * @param policy the policy; null turns auditing off again
     * @return this builder
     */
    public B auditPolicy(AuditPolicy policy) {
        this.auditPolicy = policy;
        return self();
    }

    /**
     * {@code --enable-admission-plugins}: plugins to run besides kube-apiserver's defaults (for example
     * {@code NodeRestriction}), by their upstream names; the order does not matter.
     *
     * @param plugins plugin names
     * @return this builder
     */
    public B enableAdmissionPlugins(String... plugins) {
        this.enableAdmissionPlugins = List.of(plugins);
        return self();
    }

    /**
     * {@code --disable-admission-plugins}: default plugins not to run (for example {@code PodSecurity}).
     *
     * @param plugins plugin names
     * @return this builder
     */
    public B disableAdmissionPlugins(String... plugins) {
        this.disableAdmissionPlugins = List.of(plugins);
        return self();
    }

    /**
     * {@code --admission-control-config-file}: an AdmissionConfiguration read from the classpath. Give each plugin's
     * settings inline ({@code configuration:}); a {@code path:} is resolved against a temporary directory.
     *
     * @param resource classpath resource path; null for none
     * @return this builder
     */
    public B admissionConfiguration(String resource) {
        this.admissionConfiguration = resource;
        return self();
    }

    /**
     * Keeps the cluster in {@code directory}, as the fake's {@code --data-dir} and {@code --cert-dir} do: its objects
     * in an embedded durable store under {@code directory/data} (every write on disk before it is acknowledged), its
     * CA and service-account signing key under {@code directory} (kubeadm's file names). A server started again on
     * the same directory finds its objects, and certificates and tokens issued before still authenticate: a test of
     * what survives a restart. The directory is created when missing and never deleted; one server at a time may
     * use it. Preloaded objects and service accounts that are already there are left as they are.
     *
     * @param directory the cluster's directory; null keeps everything in memory (the default)
     * @return this builder
     */
    public B dataDirectory(Path directory) {
        this.dataDirectory = directory;
        return self();
    }

    /**
     * Fake kubelets, one per name, each registered as that node once the server runs (after the preload and the
     * actors) and serving the kubelet API on 127.0.0.1; see {@link KubeTwinNode}. A kubelet registers its Node as
     * {@code system:node:NAME}, which only the Node authorizer allows: use
     * {@code authorizationModes("Node", "RBAC")}, as kubeadm does. May be called several times.
     *
     * @param names node names
     * @return this builder
     */
    public B node(String... names) {
        nodes.addAll(Arrays.asList(names));
        return self();
    }

    /**
     * {@code --feature-gates}: {@code Name=true|false} pairs as kube-apiserver v1.34.4 parses them. Gates the fake
     * honours (for example {@code AllowParsingUserUIDFromCertAuth}, {@code TokenRequestServiceAccountUIDValidation})
     * and gates without visible effect take either value; any other gate only its default, so that a test never
     * passes against a gate the fake does not emulate (see fake-apiserver/README.md, "Feature gates"). May be called
     * several times, as the flag may be repeated: a later value of the same gate wins.
     *
     * @param gates the pairs, one per argument or comma-separated
     * @return this builder
     */
    public B featureGates(String... gates) {
        featureGates.addAll(Arrays.asList(gates));
        return self();
    }

    /**
     * {@code --emulated-version}: {@code 1.33} or {@code kube=1.33}. kube-apiserver v1.34.4 accepts 1.31 to 1.34; the
     * fake serves each release's recorded API surface and refuses to start, naming them, while gates whose default
     * at that release it does not emulate keep that default (see fake-apiserver/README.md, "Feature gates").
     *
     * @param release the release; null or empty for the binary's own
     * @return this builder
     */
    public B emulatedVersion(String release) {
        this.emulatedVersion = release;
        return self();
    }

    /**
     * Objects to create as the admin once the server runs, from classpath resources (YAML or JSON, several documents
     * per file, {@code List} objects), in order. May be called several times.
     *
     * @param resources classpath resource paths
     * @return this builder
     */
    public B preload(String... resources) {
        preload.addAll(Arrays.asList(resources));
        return self();
    }

    /**
     * A user who authenticates with a client certificate signed by the cluster CA ({@code CN} = name, one {@code O}
     * per group).
     *
     * @param name the user name
     * @param groups the user's groups
     * @return this builder
     */
    public B user(String name, String... groups) {
        actors.add(ActorSpec.certificate(name, List.of(groups)));
        return self();
    }

    /**
     * A user who authenticates with a static bearer token ({@code --token-auth-file}).
     *
     * @param name the user name
     * @param token the bearer token
     * @param groups the user's groups
     * @return this builder
     */
    public B tokenUser(String name, String token, String... groups) {
        actors.add(ActorSpec.token(name, token, List.of(groups)));
        return self();
    }

    /**
     * A service account, created with its namespace when the server starts, whose actor authenticates with a token
     * from the TokenRequest API. Its actor name is {@code system:serviceaccount:NAMESPACE:NAME}.
     *
     * @param namespace the namespace
     * @param name the service account's name
     * @return this builder
     */
    public B serviceAccount(String namespace, String name) {
        actors.add(ActorSpec.serviceAccount(namespace, name));
        return self();
    }

    /** Applies the attributes of an annotation. */
    B apply(KubeTwin annotation) {
        authorizationModes(annotation.authorizationModes());
        anonymousAuth(annotation.anonymousAuth());
        allowPrivileged(annotation.allowPrivileged());
        if (!annotation.auditPolicy().isEmpty()) {
            auditPolicy(AuditPolicy.resource(annotation.auditPolicy()));
        }
        preload(annotation.preload());
        node(annotation.nodes());
        featureGates(annotation.featureGates());
        if (!annotation.emulatedVersion().isEmpty()) {
            emulatedVersion(annotation.emulatedVersion());
        }
        enableAdmissionPlugins(annotation.enableAdmissionPlugins());
        disableAdmissionPlugins(annotation.disableAdmissionPlugins());
        if (!annotation.admissionConfiguration().isEmpty()) {
            admissionConfiguration(annotation.admissionConfiguration());
        }
        for (User user : annotation.users()) {
            if (user.token().isEmpty()) {
                user(user.name(), user.groups());
            } else {
                tokenUser(user.name(), user.token(), user.groups());
            }
        }
        for (ServiceAccount sa : annotation.serviceAccounts()) {
            serviceAccount(sa.namespace(), sa.name());
        }
        return self();
    }

    /** The immutable configuration these settings describe. */
    KubeTwinConfig toConfig() {
        return new KubeTwinConfig(
                authorizationModes,
                anonymousAuth,
                allowPrivileged,
                auditPolicy,
                preload,
                actors,
                new KubeTwinConfig.Admission(enableAdmissionPlugins, disableAdmissionPlugins, admissionConfiguration),
                dataDirectory,
                nodes,
                featureGates,
                emulatedVersion);
    }

    /** One declared actor. */
    record ActorSpec(KubeTwinActor.Kind kind, String name, List<String> groups, String token, String namespace) {
        ActorSpec {
            Objects.requireNonNull(name, "name");
            groups = List.copyOf(groups);
        }

        static ActorSpec certificate(String name, List<String> groups) {
            return new ActorSpec(KubeTwinActor.Kind.CLIENT_CERTIFICATE, name, groups, null, null);
        }

        static ActorSpec token(String name, String token, List<String> groups) {
            if (token == null || token.isEmpty() || token.contains(",") || token.contains("\n")) {
                throw new IllegalArgumentException("the static token of " + name
                        + " must be non-empty, without commas or line breaks (it is a token-auth-file column)");
            }
            return new ActorSpec(KubeTwinActor.Kind.STATIC_TOKEN, name, groups, token, null);
        }

        static ActorSpec serviceAccount(String namespace, String name) {
            return new ActorSpec(
                    KubeTwinActor.Kind.SERVICE_ACCOUNT,
                    "system:serviceaccount:" + namespace + ":" + name,
                    List.of(),
                    null,
                    namespace + "/" + name);
        }
    }
}
