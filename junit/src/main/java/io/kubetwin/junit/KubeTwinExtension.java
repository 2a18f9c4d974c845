package io.kubetwin.junit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link KubeTwin @KubeTwin}, and the one to register with {@code @RegisterExtension}
 * when the annotation's attributes are not enough:
 * <pre>{@code
 * @RegisterExtension
 * static final KubeTwinExtension cluster = KubeTwinExtension.builder()
 *         .user("alice", "dev")
 *         .serviceAccount("team", "operator")
 *         .auditPolicy(AuditPolicy.atLevel("Metadata"))
 *         .preload("rbac.yaml")
 *         .build();
 * }</pre>
 * In a {@code static} field the server lives for the class unless {@link Builder#perMethod()}; in an instance
 * field, and with {@link Builder#perMethod()}, each test method gets a fresh one.
 *
 * <p>It injects, into test and lifecycle method parameters and into fields marked {@link KubeTwinInject} or
 * {@link Actor}: the {@link KubeTwinServer} (URL, CA, kubeconfigs), the {@link AuditTrail}, a {@link KubeTwinActor}
 * (the admin, or the one named by {@link Actor}), and, when fabric8 is on the test classpath, a
 * {@code io.fabric8.kubernetes.client.KubernetesClient} for the admin or an actor, and when the official Java client
 * is, a {@code io.kubernetes.client.openapi.ApiClient} likewise (each made once per actor and server, closed with the
 * server).
 *
 * <p>All state lives in JUnit's extension context stores, never in static fields: test classes may run in parallel
 * ({@code junit.jupiter.execution.parallel.enabled}), each with servers of its own.
 */
public final class KubeTwinExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final String SERVER = "server";

    /** From a builder; null when JUnit made this extension for {@link KubeTwin @KubeTwin}. */
    private final KubeTwinConfig config;

    private final Lifecycle lifecycle;

    /** For {@link KubeTwin @KubeTwin}: JUnit calls this, and the settings come from the annotation. */
    public KubeTwinExtension() {
        this(null, null);
    }

    private KubeTwinExtension(KubeTwinConfig config, Lifecycle lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
    }

    /**
     * A builder for an extension to register with {@code @RegisterExtension}, starting from the defaults of
     * {@link KubeTwin @KubeTwin}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link KubeTwinExtension}. Not thread-safe. */
    public static final class Builder extends KubeTwinSettings<Builder> {
        private Lifecycle lifecycle = Lifecycle.PER_CLASS;

        private Builder() {}

        /**
         * A fresh server for each test method (state never leaks from one test to the next).
         *
         * @return this builder
         */
        public Builder perMethod() {
            lifecycle = Lifecycle.PER_METHOD;
            return this;
        }

        /**
         * One server per class or per test method.
         *
         * @param lifecycle {@link Lifecycle#PER_CLASS} by default
         * @return this builder
         */
        public Builder lifecycle(Lifecycle lifecycle) {
            this.lifecycle = lifecycle;
            return this;
        }

        /**
         * The extension.
         *
         * @return an extension to keep in a field annotated with {@code @RegisterExtension}
         */
        public KubeTwinExtension build() {
            return new KubeTwinExtension(toConfig(), lifecycle);
        }
    }

    /**
     * The server serving the current test.
     *
     * @param context the current extension context, as given to a JUnit callback
     * @return the server
     * @throws IllegalStateException when no server of this extension is running in that context
     */
    public KubeTwinServer server(ExtensionContext context) {
        KubeTwinServer server = store(context).get(SERVER, KubeTwinServer.class);
        if (server == null) {
            throw new IllegalStateException("no fake apiserver is running here"
                    + (lifecycle(context) == Lifecycle.PER_METHOD
                            ? ": its lifecycle is per method, so it does not exist in @BeforeAll or @AfterAll"
                            : ""));
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // a @Nested class finds its enclosing class's server in the parent store, and keeps it
        if (lifecycle(context) == Lifecycle.PER_CLASS && store(context).get(SERVER) == null) {
            KubeTwinServer server = KubeTwinServer.start(config(context));
            store(context).put(SERVER, server);
            injectFields(context, null, server);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KubeTwinServer server = store(context).get(SERVER, KubeTwinServer.class);
        if (lifecycle(context) == Lifecycle.PER_METHOD || server == null) {
            // per method, or registered in an instance field (JUnit calls no beforeAll there)
            server = KubeTwinServer.start(config(context));
            store(context).put(SERVER, server);
        }
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            injectFields(context, instance, server);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeOwn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeOwn(context);
    }

    /** Closes the server this context started (the store's remove acts on this context only, not its parents). */
    private void closeOwn(ExtensionContext context) {
        KubeTwinServer server = store(context).remove(SERVER, KubeTwinServer.class);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return injectable(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Optional<Actor> actor = parameter.findAnnotation(Actor.class);
        try {
            return value(parameter.getParameter().getType(), actor.map(Actor::value), server(context));
        } catch (RuntimeException e) {
            throw new ParameterResolutionException(
                    "cannot inject " + parameter.getParameter() + ": " + e.getMessage(), e);
        }
    }

    private static boolean injectable(Class<?> type) {
        return type == KubeTwinServer.class
                || type == AuditTrail.class
                || type == KubeTwinActor.class
                || type.getName().equals(Fabric8Clients.CLIENT_CLASS)
                || type.getName().equals(ClientJavaClients.CLIENT_CLASS);
    }

    private static Object value(Class<?> type, Optional<String> actorName, KubeTwinServer server) {
        KubeTwinActor actor = actorName.map(server::actor).orElse(server.admin());
        if (type == KubeTwinServer.class || type == AuditTrail.class) {
            if (actorName.isPresent()) {
                throw new IllegalArgumentException(
                        "@Actor applies to KubeTwinActor, KubernetesClient and ApiClient only");
            }
            return type == KubeTwinServer.class ? server : server.audit();
        }
        if (type == KubeTwinActor.class) {
            return actor;
        }
        // compared by name: each client class is loaded only when a test asks for it (both are optional)
        if (type.getName().equals(ClientJavaClients.CLIENT_CLASS)) {
            return ClientJavaClients.client(server, actor);
        }
        return Fabric8Clients.client(server, actor);
    }

    /** Static fields when {@code instance} is null, else the instance's fields; the class hierarchy included. */
    private static void injectFields(ExtensionContext context, Object instance, KubeTwinServer server) {
        Class<?> type = instance == null ? context.getRequiredTestClass() : instance.getClass();
        List<Field> fields = AnnotationSupport.findAnnotatedFields(
                type,
                KubeTwinInject.class,
                f -> (instance == null) == Modifier.isStatic(f.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN);
        List<Field> actorFields = AnnotationSupport.findAnnotatedFields(
                type,
                Actor.class,
                f -> (instance == null) == Modifier.isStatic(f.getModifiers())
                        && !f.isAnnotationPresent(KubeTwinInject.class),
                HierarchyTraversalMode.TOP_DOWN);
        for (List<Field> list : List.of(fields, actorFields)) {
            for (Field field : list) {
                if (!injectable(field.getType())) {
                    throw new ExtensionConfigurationException("cannot inject field " + field + ": the extension "
                            + "injects KubeTwinServer, AuditTrail, KubeTwinActor, fabric8's KubernetesClient and client-java's "
                            + "ApiClient");
                }
                Optional<String> actor =
                        Optional.ofNullable(field.getAnnotation(Actor.class)).map(Actor::value);
                try {
                    field.setAccessible(true);
                    field.set(instance, value(field.getType(), actor, server));
                } catch (IllegalAccessException | RuntimeException e) {
                    throw new ExtensionConfigurationException(
                            "cannot inject field " + field + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private KubeTwinConfig config(ExtensionContext context) {
        if (config != null) {
            return config;
        }
        return KubeTwinConfig.builder().apply(annotation(context)).build();
    }

    private Lifecycle lifecycle(ExtensionContext context) {
        return lifecycle != null ? lifecycle : annotation(context).lifecycle();
    }

    /** The {@link KubeTwin} of the test class or, for a {@code @Nested} class, of the nearest enclosing class. */
    private static KubeTwin annotation(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context);
                c.isPresent();
                c = c.get().getParent()) {
            Optional<KubeTwin> found =
                    c.get().getTestClass().flatMap(type -> AnnotationSupport.findAnnotation(type, KubeTwin.class));
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException("KubeTwinExtension registered without settings: annotate the test "
                + "class with @KubeTwin, or register KubeTwinExtension.builder()...build() with @RegisterExtension");
    }

    private ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(ExtensionContext.Namespace.create(KubeTwinExtension.class, this));
    }
}
