package io.kubetwin.junit;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A running fake kube-apiserver, for any test framework or none: {@link #start(KubeTwinConfig)} returns once it
 * serves, with the objects preloaded and the actors provisioned, and {@link #close()} returns once its port is free,
 * its threads are gone and its working directory is deleted.
 * <pre>{@code
 * try (KubeTwinServer server = KubeTwinServer.start(KubeTwinConfig.builder().user("alice", "dev").build())) {
 *     Path kubeconfig = server.actor("alice").kubeconfigPath();   // for kubectl, or any client
 *     ...
 * }
 * }</pre>
 * The JUnit extension ({@link KubeTwin @KubeTwin}, {@link KubeTwinExtension}) injects the same object.
 *
 * <p>Each server listens on 127.0.0.1 and a free port, with its own PKI, Vert.x instance and working directory (a
 * temporary directory holding the kubeconfig files, the token file and the audit log): several run side by side in
 * one JVM. Thread-safe.
 */
public final class KubeTwinServer implements AutoCloseable {
    private final FakeApiServer server;
    private final Path directory;
    private final ApiClient adminClient;
    private final KubeTwinActor admin;
    private final Map<String, KubeTwinActor> actors = new ConcurrentHashMap<>();
    private final List<String> actorOrder = Collections.synchronizedList(new ArrayList<>());
    private final AuditTrail audit;
    private final Map<String, AutoCloseable> attachments = new LinkedHashMap<>();
    private final Map<String, KubeTwinNode> nodes = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private KubeTwinServer(FakeApiServer server, Path directory, AuditTrail audit) {
        this.server = server;
        this.directory = directory;
        this.audit = audit;
        this.adminClient = ApiClient.of(Kubeconfig.parse(server.adminKubeconfig()));
        this.admin = new KubeTwinActor(
                FakeApiServer.ADMIN_USER,
                List.of("system:masters"),
                KubeTwinActor.Kind.CLIENT_CERTIFICATE,
                server.adminKubeconfig(),
                write("admin.kubeconfig", server.adminKubeconfig()),
                null);
    }

    /**
     * Starts a server with the defaults of {@link KubeTwinConfig#defaults()}: RBAC, anonymous requests on, no
     * auditing.
     *
     * @return the running server
     */
    public static KubeTwinServer start() {
        return start(KubeTwinConfig.defaults());
    }

    /**
     * Starts a server and waits until it serves, then creates the preloaded objects and provisions the actors.
     *
     * @param config what to start
     * @return the running server
     * @throws IllegalStateException or {@link IllegalArgumentException} with the server's own message when the
     *     configuration is refused, a preloaded object cannot be created or an actor cannot be provisioned; whatever
     *     was started is stopped and deleted first
     */
    public static KubeTwinServer start(KubeTwinConfig config) {
        Path directory;
        try {
            directory = Files.createTempDirectory("kubetwin-");
        } catch (IOException e) {
            throw new UncheckedIOException("creating the fake apiserver's working directory", e);
        }
        FakeApiServer fake = null;
        KubeTwinServer started = null;
        try {
            fake = FakeApiServer.startBlocking(serverConfig(config, directory));
            started = new KubeTwinServer(fake, directory, new AuditTrail(auditLog(config, directory)));
            started.provision(config);
            return started;
        } catch (RuntimeException | Error e) {
            if (started != null) {
                started.close();
            } else {
                if (fake != null) {
                    fake.close();
                }
                Directories.delete(directory);
            }
            throw e;
        }
    }

    private static Path auditLog(KubeTwinConfig config, Path directory) {
        return config.auditPolicy().isPresent() ? directory.resolve("audit.log") : null;
    }

    /** The fake's own configuration: its embedded defaults (127.0.0.1, a free port, in-memory PKI) plus ours. */
    private static ApiServerConfig serverConfig(KubeTwinConfig config, Path directory) {
        ApiServerConfig.Builder b = ApiServerConfig.builder()
                .authorizationModes(config.authorizationModes())
                .anonymousAuth(config.anonymousAuth())
                .allowPrivileged(config.allowPrivileged())
                .enableAdmissionPlugins(config.admission().enable())
                .disableAdmissionPlugins(config.admission().disable())
                .featureGates(config.featureGates(), config.emulatedVersion().orElse(null));
        config.dataDirectory()
                .ifPresent(
                        dir -> b.certDir(createDirectories(dir)).storage(StorageOptions.embedded(dir.resolve("data"))));
        if (config.admission().configurationResource() != null) {
            b.admissionControlConfigFile(writeFile(
                    directory.resolve("admission-configuration.yaml"),
                    AuditPolicy.Resources.read(config.admission().configurationResource())));
        }
        StringBuilder tokens = new StringBuilder();
        for (KubeTwinSettings.ActorSpec actor : config.actors()) {
            if (actor.kind() == KubeTwinActor.Kind.STATIC_TOKEN) {
                // token,user,uid,"group1,group2" (kube-apiserver's --token-auth-file)
                tokens.append(actor.token())
                        .append(',')
                        .append(actor.name())
                        .append(',')
                        .append(actor.name())
                        .append(",\"")
                        .append(String.join(",", actor.groups()))
                        .append("\"\n");
            }
        }
        if (tokens.length() > 0) {
            b.tokenAuthFile(writeFile(directory.resolve("tokens.csv"), tokens.toString()));
        }
        if (config.auditPolicy().isPresent()) {
            b.auditPolicyFile(writeFile(
                            directory.resolve("audit-policy.yaml"),
                            config.auditPolicy().get().yaml()))
                    .auditLogPath(auditLog(config, directory).toString());
        }
        return b.build();
    }

    private void provision(KubeTwinConfig config) {
        // a kept cluster already holds what an earlier start preloaded
        ObjectLoader loader =
                new ObjectLoader(adminClient, config.dataDirectory().isPresent());
        for (String resource : config.preload()) {
            loader.create(AuditPolicy.Resources.read(resource), resource);
        }
        for (KubeTwinSettings.ActorSpec spec : config.actors()) {
            switch (spec.kind()) {
                case CLIENT_CERTIFICATE -> newUser(spec.name(), spec.groups().toArray(String[]::new));
                case STATIC_TOKEN ->
                    register(
                            spec.name(),
                            spec.groups(),
                            spec.kind(),
                            server.kubeconfigForToken(spec.name(), spec.token()),
                            spec.token());
                case SERVICE_ACCOUNT -> {
                    String[] nsName = spec.namespace().split("/", 2);
                    String token = ServiceAccountTokens.provision(adminClient, nsName[0], nsName[1]);
                    register(spec.name(), List.of(), spec.kind(), server.kubeconfigForToken(spec.name(), token), token);
                }
            }
        }
        if (!config.nodes().isEmpty()) {
            awaitServing();
        }
        for (String name : config.nodes()) {
            EmbeddedKubelets.Running kubelet =
                    attachment("kubelet:" + name, () -> EmbeddedKubelets.start(server, directory, name));
            synchronized (nodes) {
                nodes.put(name, kubelet.node());
            }
        }
    }

    /**
     * Waits (a minute at most) until the admin gets 200 from {@code /readyz}: a kubelet's first request has a short
     * connect timeout, which a server still busy with its start-up on a loaded machine can miss.
     */
    private void awaitServing() {
        long deadline = System.nanoTime() + 60_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (adminClient.get("/readyz").code() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for /readyz", e);
            }
        }
        throw new IllegalStateException("the fake apiserver did not answer /readyz within a minute", last);
    }

    private KubeTwinActor register(
            String name, List<String> groups, KubeTwinActor.Kind kind, String kubeconfig, String token) {
        KubeTwinActor actor = new KubeTwinActor(
                name, groups, kind, kubeconfig, write(fileName(name) + ".kubeconfig", kubeconfig), token);
        if (actors.putIfAbsent(name, actor) != null) {
            throw new IllegalArgumentException("there is already an actor named " + name);
        }
        actorOrder.add(name);
        return actor;
    }

    /**
     * A new user actor, after start: a fresh client certificate signed by the cluster CA ({@code CN} = name, one
     * {@code O} per group), with its kubeconfig file.
     *
     * @param name the user name
     * @param groups the user's groups
     * @return the actor, also found by {@link #actor(String)} from now on
     * @throws IllegalArgumentException when an actor has that name already
     */
    public KubeTwinActor newUser(String name, String... groups) {
        return register(
                name, List.of(groups), KubeTwinActor.Kind.CLIENT_CERTIFICATE, server.kubeconfigFor(name, groups), null);
    }

    /**
     * Creates Kubernetes objects as the admin, as preloading does: YAML or JSON text, several documents, {@code List}
     * kinds.
     *
     * @param yaml the objects
     * @throws IllegalStateException with the server's Status message when an object is refused
     */
    public void create(String yaml) {
        new ObjectLoader(adminClient, false).create(yaml, "create(...)");
    }

    /**
     * The HTTPS URL of the server.
     *
     * @return such as {@code https://127.0.0.1:41234}
     */
    public String url() {
        return server.url();
    }

    /**
     * The port the server listens on, on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return server.port();
    }

    /**
     * The cluster CA, which signed the serving certificate and every client certificate: what clients trust.
     *
     * @return the CA certificate in PEM
     */
    public String caCertificatePem() {
        return server.clusterCa().certificatePem();
    }

    /**
     * The admin's kubeconfig ({@code kubernetes-admin} in group {@code system:masters}, allowed everything).
     *
     * @return the kubeconfig YAML
     */
    public String adminKubeconfig() {
        return admin.kubeconfig();
    }

    /**
     * Where {@link #adminKubeconfig()} is written, inside {@link #workingDirectory()}.
     *
     * @return the kubeconfig file
     */
    public Path adminKubeconfigPath() {
        return admin.kubeconfigPath();
    }

    /**
     * The admin as an actor.
     *
     * @return {@code kubernetes-admin}
     */
    public KubeTwinActor admin() {
        return admin;
    }

    /**
     * A declared actor.
     *
     * @param name a user's name, or {@code system:serviceaccount:NAMESPACE:NAME}
     * @return the actor
     * @throws IllegalArgumentException naming the actors there are, when none has that name
     */
    public KubeTwinActor actor(String name) {
        if (name.equals(admin.name())) {
            return admin;
        }
        KubeTwinActor actor = actors.get(name);
        if (actor == null) {
            throw new IllegalArgumentException(
                    "no actor named \"" + name + "\"; declared: " + (actorOrder.isEmpty() ? "none" : actorOrder));
        }
        return actor;
    }

    /**
     * The declared actors (not the admin), in declaration order.
     *
     * @return the actors
     */
    public List<KubeTwinActor> actors() {
        synchronized (actorOrder) {
            return actorOrder.stream().map(actors::get).toList();
        }
    }

    /**
     * A fake kubelet declared with {@link KubeTwinSettings#node(String...)}.
     *
     * @param name the node's name
     * @return the node's kubelet
     * @throws IllegalArgumentException naming the nodes there are, when none has that name
     */
    public KubeTwinNode node(String name) {
        synchronized (nodes) {
            KubeTwinNode node = nodes.get(name);
            if (node == null) {
                throw new IllegalArgumentException(
                        "no node named \"" + name + "\"; declared: " + (nodes.isEmpty() ? "none" : nodes.keySet()));
            }
            return node;
        }
    }

    /**
     * The fake kubelets, in declaration order.
     *
     * @return the nodes
     */
    public List<KubeTwinNode> nodes() {
        synchronized (nodes) {
            return List.copyOf(nodes.values());
        }
    }

    /**
     * The server's audit events.
     *
     * @return the trail (see {@link AuditTrail#enabled()})
     */
    public AuditTrail audit() {
        return audit;
    }

    /**
     * The server's working directory: kubeconfig files, the token file, the audit policy and log. Deleted by
     * {@link #close()}.
     *
     * @return the directory
     */
    public Path workingDirectory() {
        return directory;
    }

    /** Something closed with the server (a client made for it), made once per key. */
    <T extends AutoCloseable> T attachment(String key, Supplier<T> make) {
        synchronized (attachments) {
            if (closed.get()) {
                throw new IllegalStateException("the fake apiserver is closed");
            }
            @SuppressWarnings("unchecked")
            T value = (T) attachments.computeIfAbsent(key, k -> make.get());
            return value;
        }
    }

    /**
     * Closes the clients made for the server, stops it (its port is free and its audit log complete when this
     * returns) and deletes its working directory. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        List<AutoCloseable> toClose;
        synchronized (attachments) {
            toClose = new ArrayList<>(attachments.values());
            attachments.clear();
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                failure = failure == null
                        ? new IllegalStateException("closing a client of the fake apiserver", e)
                        : failure;
            }
        }
        try {
            server.close();
        } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
        }
        Directories.delete(directory);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "KubeTwinServer[" + url() + "]";
    }

    private Path write(String name, String text) {
        return writeFile(directory.resolve(name), text);
    }

    private static Path writeFile(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("creating the data directory " + dir, e);
        }
    }

    private static String fileName(String actor) {
        return actor.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
