package io.kubetwin.apiserver.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionConfigFile;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.AdmissionPluginContext;
import io.kubetwin.apiserver.admission.PluginChain;
import io.kubetwin.apiserver.admission.policy.PolicyCel;
import io.kubetwin.apiserver.api.ResponseWriter;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.apiextensions.CrdController;
import io.kubetwin.apiserver.apiextensions.CustomResourceTerminating;
import io.kubetwin.apiserver.audit.AuditSetup;
import io.kubetwin.apiserver.authn.AuthenticatorChain;
import io.kubetwin.apiserver.authn.TokenFileAuthenticator;
import io.kubetwin.apiserver.authn.serviceaccount.IssuerMetadata;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenAuthenticator;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenIssuer;
import io.kubetwin.apiserver.authz.AlwaysAllowAuthorizer;
import io.kubetwin.apiserver.authz.AlwaysDenyAuthorizer;
import io.kubetwin.apiserver.authz.PrivilegedGroupAuthorizer;
import io.kubetwin.apiserver.authz.RuleResolver;
import io.kubetwin.apiserver.authz.UnionAuthorizer;
import io.kubetwin.apiserver.authz.UnionRuleResolver;
import io.kubetwin.apiserver.authz.node.NodeAuthorizer;
import io.kubetwin.apiserver.authz.node.NodeGraph;
import io.kubetwin.apiserver.authz.rbac.BootstrapPolicy;
import io.kubetwin.apiserver.authz.rbac.EscalationCheck;
import io.kubetwin.apiserver.authz.rbac.RbacAuthorizer;
import io.kubetwin.apiserver.authz.rbac.RbacEscalationGuard;
import io.kubetwin.apiserver.authz.rbac.RbacPolicyIndex;
import io.kubetwin.apiserver.discovery.DiscoveryDocuments;
import io.kubetwin.apiserver.discovery.DiscoveryHandler;
import io.kubetwin.apiserver.discovery.HealthChecks;
import io.kubetwin.apiserver.discovery.IssuerMetadataHandler;
import io.kubetwin.apiserver.discovery.OpenApiHandler;
import io.kubetwin.apiserver.impersonation.ImpersonationHandler;
import io.kubetwin.apiserver.impersonation.ImpersonationResolver;
import io.kubetwin.apiserver.kubelet.KubeletTransport;
import io.kubetwin.apiserver.kubelet.NodeProxyResource;
import io.kubetwin.apiserver.kubelet.PodLogResource;
import io.kubetwin.apiserver.kubelet.PodStreamResource;
import io.kubetwin.apiserver.registry.ApiSurface;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.RestHandler;
import io.kubetwin.apiserver.registry.ScaleResource;
import io.kubetwin.apiserver.registry.Strategies;
import io.kubetwin.apiserver.registry.UnservedProxyResource;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.VirtualResources;
import io.kubetwin.apiserver.registry.kinds.Capabilities;
import io.kubetwin.apiserver.registry.kinds.GatedFields;
import io.kubetwin.apiserver.registry.kinds.ServiceNetwork;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.etcd.EtcdStorage;
import io.kubetwin.auth.authn.AnonymousAuthenticator;
import io.kubetwin.auth.authn.X509Authenticator;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.Pem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Builds every collaborator of one fake apiserver from its configuration and assembles the chain:
 * the only wide class, so that each component stays small and knows nothing of the others' wiring.
 * Insecure settings are collected in {@link #insecureModes()} and logged at start-up.
 */
final class ApiServerAssembly {
    private final Storage storage;
    private final Router router;
    private final List<String> insecureModes;
    private final ControlPlane controlPlane;
    private final AtomicInteger advertisedPort;
    private final AuditWiring audit;
    private final Vertx vertx;
    private final IntFunction<Future<Void>> kubernetesService;

    private ApiServerAssembly(
            Vertx vertx,
            Storage storage,
            Router router,
            List<String> insecureModes,
            ControlPlane controlPlane,
            AtomicInteger advertisedPort,
            AuditWiring audit,
            IntFunction<Future<Void>> kubernetesService) {
        this.vertx = vertx;
        this.kubernetesService = kubernetesService;
        this.audit = audit;
        this.advertisedPort = advertisedPort;
        this.storage = storage;
        this.router = router;
        this.insecureModes = List.copyOf(insecureModes);
        this.controlPlane = controlPlane;
    }

    /**
     * Opens the audit backends and the store (off the event loop: a data file to load, a gRPC client to set
     * up), then builds the rest; fails with the first start-up error.
     */
    static Future<ApiServerAssembly> build(
            Vertx vertx, ApiServerConfig config, ServerPki pki, Clock clock, BootstrapMemo memo) {
        List<String> insecure = new ArrayList<>();
        return AuditWiring.create(vertx, config)
                .compose(audit -> vertx.executeBlocking(() -> {
                            long began = System.nanoTime();
                            Storage storage = StorageFactory.open(config.storage(), config.encryption(), insecure);
                            FakeApiServer.phase("store opened (from its own start)", began);
                            return storage;
                        })
                        .transform(opened -> {
                            if (opened.failed()) {
                                return audit.close(vertx).transform(closed -> Future.failedFuture(opened.cause()));
                            }
                            try {
                                return Future.succeededFuture(
                                        build(vertx, config, pki, clock, audit, opened.result(), insecure, memo));
                            } catch (RuntimeException e) {
                                opened.result().close();
                                return audit.close(vertx).transform(closed -> Future.failedFuture(e));
                            }
                        }));
    }

    private static ApiServerAssembly build(
            Vertx vertx,
            ApiServerConfig config,
            ServerPki pki,
            Clock clock,
            AuditWiring audit,
            Storage storage,
            List<String> insecure,
            BootstrapMemo memo) {
        ObjectMapper mapper = new ObjectMapper();
        ApiSurface surface = config.apiSurface();
        ResourceCatalog catalog = ResourceCatalog.withBuiltIns(surface);
        ServiceNetwork serviceNetwork =
                new ServiceNetwork(config.serviceClusterIpRange(), config.serviceNodePortRange());
        Strategies strategies = Strategies.builtIns(
                clock,
                serviceNetwork,
                new Capabilities(config.allowPrivileged()),
                GatedFields.of(config.featureGates()));

        RbacPolicyIndex rbacIndex = new RbacPolicyIndex();
        // fed from the pods' watch in every configuration, used by the Node authorizer when it is on
        NodeGraph nodeGraph = new NodeGraph();
        Authorizer authorizer = authorizer(config, rbacIndex, nodeGraph, insecure);
        RuleResolver rules = ruleResolver(config, rbacIndex);

        List<String> apiAudiences =
                config.apiAudiences().isEmpty() ? config.serviceAccountIssuers() : config.apiAudiences();
        ServiceAccountTokenIssuer tokenIssuer = new ServiceAccountTokenIssuer(
                config.serviceAccountIssuers().get(0),
                new KeyPair(Pem.publicKeyOf(pki.serviceAccountSigningKey()), pki.serviceAccountSigningKey()),
                apiAudiences);
        AuthenticatorChain authenticator = authenticator(config, pki, storage, apiAudiences, clock, insecure);

        // --- apiextensions.k8s.io (CRD serving) ---
        CustomResourceTerminating crdTerminating = new CustomResourceTerminating();
        // ---

        // RBAC's escalation check is the rbac storage's own (not a plugin upstream), so it comes first
        List<AdmissionPlugin> plugins =
                new ArrayList<>(List.of(new RbacEscalationGuard(new EscalationCheck(rbacIndex, authorizer))));
        AdmissionWiring.Selected admission = AdmissionWiring.select(
                config,
                new AdmissionPluginContext(
                        vertx,
                        storage,
                        catalog,
                        authorizer,
                        clock,
                        AdmissionConfigFile.load(config.admission().configFile()),
                        new PolicyCel(),
                        config.featureGates()));
        plugins.addAll(admission.plugins());
        if (!admission.notEmulated().isEmpty()) {
            insecure.add("admission plugins on by default in kube-apiserver that this fake does not emulate yet (they "
                    + "admit everything unchanged): " + String.join(", ", admission.notEmulated()));
        }
        // the chain of serviceaccounts/token, a virtual resource: only NodeRestriction acts on it in the fake
        List<AdmissionPlugin> tokenRequestPlugins = admission.plugins().stream()
                .filter(p -> p.name().equals("NodeRestriction"))
                .toList();
        plugins.add(crdTerminating);
        GenericRegistry registry = new GenericRegistry(
                storage, catalog, strategies, PluginChain.of(plugins.toArray(AdmissionPlugin[]::new)), clock);
        VirtualResources virtualResources = new VirtualResources();
        // POST bindings schedules a pod upstream (BindingREST); until that is emulated it is refused as if no
        // handler served it, rather than stored as an object
        virtualResources.register("", "bindings", "", new VirtualResource() {
            @Override
            public BodyKind bodyKind() {
                return null;
            }

            @Override
            public Future<Answer> handle(Call call) {
                return Future.failedFuture(Statuses.pathNotFound());
            }
        });
        // the scale subresource of the built-in scalable kinds
        for (String[] scalable : new String[][] {
            {"apps", "deployments"}, {"apps", "replicasets"}, {"apps", "statefulsets"}, {"", "replicationcontrollers"}
        }) {
            virtualResources.register(
                    scalable[0],
                    scalable[1],
                    "scale",
                    new ScaleResource(registry, scalable[0], scalable[1], key -> ScaleResource.BUILT_IN));
        }
        // pods/log through the node's kubelet (pkg/registry/core/pod/rest/log.go)
        KubeletTransport kubelets = KubeletTransport.of(config.kubeletClient());
        List<String> kubeletAddressTypes = config.kubeletClient().preferredAddressTypes();
        virtualResources.register("", "pods", "log", new PodLogResource(registry, kubelets, kubeletAddressTypes));
        virtualResources.register("", "nodes", "proxy", new NodeProxyResource(registry, kubelets, kubeletAddressTypes));
        virtualResources.register("", "pods", "proxy", new UnservedProxyResource("pod"));
        virtualResources.register("", "services", "proxy", new UnservedProxyResource("service"));
        // pods/exec, attach, portforward (pkg/registry/core/pod/rest/subresources.go), relayed over WebSocket
        WebSocketClient kubeletStreams = kubelets.webSocketClient(vertx);
        for (PodStreamResource.Kind kind : PodStreamResource.Kind.values()) {
            virtualResources.register(
                    "",
                    "pods",
                    kind.subresource(),
                    new PodStreamResource(kind, registry, kubeletStreams, kubeletAddressTypes));
        }
        CrdController crdController =
                new CrdController(vertx, registry, virtualResources, crdTerminating, ControlPlane.SYSTEM, clock);
        ControlPlane controlPlane = new ControlPlane(
                vertx,
                registry,
                rbacIndex,
                nodeGraph,
                pki,
                authorizer,
                List.of(crdController),
                clock,
                BootstrapPolicy.load().withGates(config.featureGates()::enabled),
                memo,
                BootstrapMemo.key(config));
        SecurityResources.register(
                virtualResources,
                new SecurityResources.Context(
                        authenticator,
                        authorizer,
                        rules,
                        tokenIssuer,
                        storage,
                        new PluginChain(tokenRequestPlugins),
                        config.featureGates().enabled("TokenRequestServiceAccountUIDValidation"),
                        clock));

        ResponseWriter writer = new ResponseWriter(mapper);
        AtomicReference<DiscoveryDocuments> discoveryDocs = new AtomicReference<>();
        ObjectNode reference = DiscoveryDocuments.loadReference(mapper, surface);
        Runnable rebuildDiscovery = () -> discoveryDocs.set(DiscoveryDocuments.ofServed(reference, catalog.all()));
        rebuildDiscovery.run();
        catalog.addListener(change -> rebuildDiscovery.run());
        String advertised = (config.advertiseAddress() != null ? config.advertiseAddress() : "127.0.0.1");
        AtomicInteger port = new AtomicInteger(config.securePort());
        DiscoveryHandler discovery = new DiscoveryHandler(
                discoveryDocs::get,
                writer,
                version(mapper, config.featureGates()),
                () -> advertised + ":" + port.get(),
                healthChecks(config, storage));
        String issuer = config.serviceAccountIssuers().get(0);
        IssuerMetadataHandler issuerMetadata = IssuerMetadata.servable(issuer, pki.serviceAccountPublicKeys())
                ? new IssuerMetadataHandler(
                        memoize(() -> IssuerMetadata.of(
                                issuer, advertised + ":" + port.get(), pki.serviceAccountPublicKeys())),
                        writer)
                : IssuerMetadataHandler.NONE;

        if (config.anonymousAuth()) {
            insecure.add(
                    "anonymous requests are enabled (--anonymous-auth=true): unauthenticated callers act as system:anonymous");
        }
        OpenApiHandler openApi = new OpenApiHandler(writer, catalog::groupVersions, surface);
        ApiServerComponents components = new ApiServerComponents(
                authenticator,
                audit.failedAuthenticationAuditor(),
                audit.failedRequestAuditor(),
                audit.handler(),
                audit.panicAuditor(),
                new ImpersonationHandler(new ImpersonationResolver(authorizer)),
                config.flowControl().handler(),
                authorizer,
                discovery,
                issuerMetadata,
                openApi,
                new RestHandler(
                        registry, virtualResources, config.featureGates().enabled("WatchList")),
                writer);
        Router router = HandlerChain.assemble(vertx, components, clock);
        return new ApiServerAssembly(
                vertx,
                storage,
                router,
                insecure,
                controlPlane,
                port,
                audit,
                bound -> KubernetesService.bootstrap(registry, serviceNetwork, advertised, bound));
    }

    private static Authorizer authorizer(
            ApiServerConfig config, RbacPolicyIndex index, NodeGraph nodeGraph, List<String> insecure) {
        // kube-apiserver always puts the system:masters authorizer first (pkg/kubeapiserver/authorizer/reload.go)
        List<Authorizer> chain = new ArrayList<>();
        chain.add(PrivilegedGroupAuthorizer.systemMasters());
        for (String mode : config.authorizationModes()) {
            switch (mode) {
                case "AlwaysAllow" -> {
                    chain.add(new AlwaysAllowAuthorizer());
                    insecure.add("authorization mode AlwaysAllow: every authenticated or anonymous request is allowed");
                }
                case "AlwaysDeny" -> chain.add(new AlwaysDenyAuthorizer());
                case "Node" -> chain.add(NodeAuthorizer.withBootstrapRules(nodeGraph, config.featureGates()::enabled));
                case "RBAC" -> chain.add(new RbacAuthorizer(index));
                default -> throw new IllegalArgumentException(ApiServerFlags.describeMode(mode));
            }
        }
        return new UnionAuthorizer(chain);
    }

    private static RuleResolver ruleResolver(ApiServerConfig config, RbacPolicyIndex index) {
        List<RuleResolver> resolvers = new ArrayList<>();
        for (String mode : config.authorizationModes()) {
            switch (mode) {
                case "AlwaysAllow" -> resolvers.add(new AlwaysAllowAuthorizer());
                case "AlwaysDeny" -> resolvers.add(new AlwaysDenyAuthorizer());
                case "RBAC" -> resolvers.add(new RbacAuthorizer(index));
                default -> {}
            }
        }
        return new UnionRuleResolver(resolvers);
    }

    private static AuthenticatorChain authenticator(
            ApiServerConfig config,
            ServerPki pki,
            Storage storage,
            List<String> apiAudiences,
            Clock clock,
            List<String> insecure) {
        AuthenticatorChain.Config c = AuthenticatorChain.Config.none()
                .withX509(new X509Authenticator(
                        pki::clientCas, clock, config.featureGates().enabled("AllowParsingUserUIDFromCertAuth")))
                .withApiAudiences(apiAudiences);
        if (config.tokenAuthFile() != null) {
            c = c.withTokenFile(TokenFileAuthenticator.load(config.tokenAuthFile()));
        }
        c = c.withServiceAccountTokens(List.of(new ServiceAccountTokenAuthenticator(
                config.serviceAccountIssuers(),
                pki.serviceAccountPublicKeys(),
                apiAudiences,
                new StoredServiceAccounts(storage),
                clock)));
        if (config.anonymousAuth()) {
            c = c.withAnonymous(AnonymousAuthenticator.unconditional());
        }
        return AuthenticatorChain.build(c);
    }

    /** Computed at the first call (after the port is bound), then kept. */
    private static <T> Supplier<T> memoize(Supplier<T> compute) {
        AtomicReference<T> value = new AtomicReference<>();
        return () -> value.updateAndGet(v -> v != null ? v : compute.get());
    }

    /** The recorded /version, with the emulated release's fields (compatibility/version.go Info). */
    private static JsonNode version(ObjectMapper mapper, io.kubetwin.apiserver.features.FeatureGates gates) {
        try (InputStream in = DiscoveryDocuments.class.getResourceAsStream("version.json")) {
            ObjectNode version = (ObjectNode) mapper.readTree(in);
            version.put("emulationMajor", gates.emulationMajor());
            version.put("emulationMinor", gates.emulationMinor());
            version.put("minCompatibilityMajor", gates.minCompatibilityMajor());
            version.put("minCompatibilityMinor", gates.minCompatibilityMinor());
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells discovery the port actually bound (for --secure-port 0). */
    void boundPort(int port) {
        advertisedPort.set(port);
    }

    Router router() {
        return router;
    }

    /**
     * The health checks the reference installs: etcd's (always passing in memory), {@code kms-providers} (KMS plugins
     * are connected only for a store that keeps values at rest), and the reload's post-start hook.
     */
    private static HealthChecks healthChecks(ApiServerConfig config, Storage storage) {
        boolean atRest = !config.storage().inMemoryOnly();
        return new HealthChecks(
                storage instanceof EtcdStorage etcd ? etcd::healthCheck : null,
                atRest ? config.encryption().kmsHealthCheck() : null,
                atRest && config.encryption().automaticReload());
    }

    Storage storage() {
        return storage;
    }

    /** The audit configuration in use, for tests in this package (its missed-event count). */
    AuditSetup auditSetup() {
        return audit.setup();
    }

    List<String> insecureModes() {
        return insecureModes;
    }

    /** Bootstraps the store and starts the controllers; may run while the server starts listening. */
    Future<Void> startControlPlane() {
        return controlPlane.start();
    }

    /** The kubernetes Service (and its endpoints), once the port is bound and the namespaces exist. */
    Future<Void> bootstrapKubernetesService() {
        return kubernetesService.apply(advertisedPort.get());
    }

    /** Stops the controllers and the store, then flushes and closes the audit backends (after the last request). */
    Future<Void> close() {
        return controlPlane
                .stop()
                .onComplete(v -> storage.close())
                .transform(stopped -> audit.close(vertx)
                        .transform(closed -> stopped.succeeded()
                                ? Future.<Void>succeededFuture()
                                : Future.failedFuture(stopped.cause())));
    }
}
