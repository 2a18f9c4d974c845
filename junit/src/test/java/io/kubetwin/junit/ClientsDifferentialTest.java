package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.reflect.TypeToken;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthenticationV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1SelfSubjectReview;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.ReferenceTarget;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential proof of the clients: one contract (CRUD, watch, informers, server-side apply,
 * SelfSubjectAccessReview and SelfSubjectReview, each with fabric8 8.x and the official Java client, as the admin and as
 * alice, whose RBAC allows ConfigMaps in one namespace and nothing else) run on the fake through the extension and on
 * the real kube-apiserver v1.34.4. Every exception, code and {@code Status} is asserted exactly, so a difference fails
 * on one of the two targets. The reference is skipped, with the reason, where its binaries are not built
 * ({@code ci/reference/build-reference.sh}).
 */
class ClientsDifferentialTest {
    static final String NS = "clients-diff";

    /** The four clients the contract uses, whichever target made them. */
    record Clients(KubernetesClient admin, KubernetesClient alice, ApiClient adminJava, ApiClient aliceJava) {}

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @KubeTwin(users = @User(name = "alice", groups = "dev"))
    class OnTheFake extends Contract {
        @BeforeAll
        void clients(
                KubernetesClient admin,
                @Actor("alice") KubernetesClient alice,
                ApiClient adminJava,
                @Actor("alice") ApiClient aliceJava)
                throws Exception {
            prepare(new Clients(admin, alice, adminJava, aliceJava));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OnTheReference extends Contract {
        private Path dir;
        private RunningCluster cluster;
        private final List<AutoCloseable> opened = new ArrayList<>();

        @BeforeAll
        void start() throws Exception {
            Target target = new ReferenceTarget();
            Optional<String> why = target.unavailableReason();
            Assumptions.assumeTrue(
                    why.isEmpty(), () -> "the reference kube-apiserver v1.34.4 is not here: " + why.orElseThrow());
            dir = Files.createTempDirectory("kubetwin-clients-reference-");
            cluster = target.start(new ClusterSpec("junit-clients", ServerConfig.DEFAULT, null, dir));
            Kubeconfig admin = cluster.admin();
            CertificateAuthority ca = cluster.clientCa().orElseThrow();
            Credential aliceCertificate = ca.issue(CertificateSpec.client("alice")
                    .organizations("dev")
                    .validFor(Duration.ofDays(1))
                    .build());
            Kubeconfig alice = Kubeconfig.withClientCertificate(
                    "reference",
                    admin.server(),
                    admin.certificateAuthorityPem().orElseThrow(),
                    "alice",
                    aliceCertificate);
            KubernetesClient adminClient = fabric8(admin.toYaml());
            KubernetesClient aliceClient = fabric8(alice.toYaml());
            opened.add(adminClient);
            opened.add(aliceClient);
            prepare(new Clients(adminClient, aliceClient, clientJava(admin.toYaml()), clientJava(alice.toYaml())));
        }

        @AfterAll
        void stop() throws Exception {
            for (AutoCloseable c : opened) {
                c.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (dir != null) {
                Directories.delete(dir);
            }
        }

        private static KubernetesClient fabric8(String kubeconfig) {
            return new KubernetesClientBuilder()
                    .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(kubeconfig))
                    .build();
        }

        private static ApiClient clientJava(String kubeconfig) throws IOException {
            return ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig)))
                    .build();
        }
    }

    /** A {@code Status} reduced to what both clients expose, compared whole. */
    record StatusView(
            int code,
            String status,
            String reason,
            String message,
            String group,
            String kind,
            String name,
            List<String> causes) {
        static StatusView of(KubernetesClientException e) {
            io.fabric8.kubernetes.api.model.Status s = e.getStatus();
            var d = s.getDetails();
            return new StatusView(
                    e.getCode(),
                    s.getStatus(),
                    s.getReason(),
                    s.getMessage(),
                    d == null ? null : d.getGroup(),
                    d == null ? null : d.getKind(),
                    d == null ? null : d.getName(),
                    d == null || d.getCauses() == null
                            ? List.of()
                            : d.getCauses().stream()
                                    .map(c -> c.getReason() + " " + c.getField() + ": " + c.getMessage())
                                    .toList());
        }

        static StatusView of(ApiClient client, ApiException e) {
            V1Status s = client.getJSON().deserialize(e.getResponseBody(), V1Status.class);
            var d = s.getDetails();
            List<V1StatusCause> causes = d == null || d.getCauses() == null ? List.of() : d.getCauses();
            return new StatusView(
                    e.getCode(),
                    s.getStatus(),
                    s.getReason(),
                    s.getMessage(),
                    d == null ? null : d.getGroup(),
                    d == null ? null : d.getKind(),
                    d == null ? null : d.getName(),
                    causes.stream()
                            .map(c -> c.getReason() + " " + c.getField() + ": " + c.getMessage())
                            .toList());
        }

        static StatusView failure(int code, String reason, String message, String kind, String name) {
            return new StatusView(code, "Failure", reason, message, null, kind, name, List.of());
        }
    }

    abstract static class Contract {
        private Clients c;

        /** Creates alice's RBAC as the admin, then waits until the authorizer sees it (the reference's is a cache). */
        void prepare(Clients clients) throws Exception {
            this.c = clients;
            try (InputStream rbac = getClass().getResourceAsStream("/kubetwin/clients-rbac.yaml")) {
                clients.admin().load(rbac).create();
            }
            Instant deadline = Instant.now().plusSeconds(30);
            while (!aliceMay("create", "configmaps") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
        }

        /**
         * Why this target cannot run a step the same way as the reference, listed in
         * conformance/known-divergences.yaml; the step is then skipped with that reason.
         */
        Optional<String> knownDivergence(String step) {
            return Optional.empty();
        }

        private void unlessDivergent(String step) {
            Optional<String> why = knownDivergence(step);
            Assumptions.assumeTrue(why.isEmpty(), () -> step + ": " + why.orElseThrow());
        }

        private boolean aliceMay(String verb, String resource) {
            return c.alice()
                    .authorization()
                    .v1()
                    .selfSubjectAccessReview()
                    .create(review(verb, resource))
                    .getStatus()
                    .getAllowed();
        }

        @Test
        void fabric8Crud() {
            var configMaps = c.alice().configMaps().inNamespace(NS);
            ConfigMap created = configMaps.resource(configMap("f8-crud", "v1")).create();
            assertEquals("v1", configMaps.withName("f8-crud").get().getData().get("k"));
            assertNull(configMaps.withName("f8-absent").get());

            var duplicate = assertThrows(
                    KubernetesClientException.class,
                    () -> configMaps.resource(configMap("f8-crud", "v1")).create());
            assertEquals(
                    StatusView.failure(
                            409, "AlreadyExists", "configmaps \"f8-crud\" already exists", "configmaps", "f8-crud"),
                    StatusView.of(duplicate));

            ConfigMap updated = configMaps.resource(withData(created, "v2")).update();
            assertEquals("v2", updated.getData().get("k"));
            var stale = assertThrows(
                    KubernetesClientException.class,
                    () -> configMaps.resource(withData(created, "v3")).update());
            assertEquals(
                    StatusView.failure(
                            409,
                            "Conflict",
                            "Operation cannot be fulfilled on configmaps \"f8-crud\": the object has been modified; "
                                    + "please apply your changes to the latest version and try again",
                            "configmaps",
                            "f8-crud"),
                    StatusView.of(stale));

            var missing = assertThrows(
                    KubernetesClientException.class,
                    () -> configMaps.withName("f8-absent").patch(PatchContext.of(PatchType.JSON_MERGE), "{}"));
            assertEquals(
                    StatusView.failure(
                            404, "NotFound", "configmaps \"f8-absent\" not found", "configmaps", "f8-absent"),
                    StatusView.of(missing));

            var forbidden = assertThrows(
                    KubernetesClientException.class,
                    () -> c.alice()
                            .secrets()
                            .inNamespace(NS)
                            .resource(new SecretBuilder()
                                    .withNewMetadata()
                                    .withName("f8-secret")
                                    .endMetadata()
                                    .build())
                            .create());
            assertEquals(
                    StatusView.failure(
                            403,
                            "Forbidden",
                            "secrets is forbidden: User \"alice\" cannot create resource \"secrets\" in API group \"\" "
                                    + "in the namespace \"clients-diff\"",
                            "secrets",
                            null),
                    StatusView.of(forbidden));

            assertEquals(1, configMaps.withName("f8-crud").delete().size());
            assertNull(configMaps.withName("f8-crud").get());
        }

        @Test
        void clientJavaCrud() throws Exception {
            ApiClient alice = c.aliceJava();
            CoreV1Api api = new CoreV1Api(alice);
            V1ConfigMap created = api.createNamespacedConfigMap(NS, v1ConfigMap("cj-crud", "v1"))
                    .execute();
            assertEquals(
                    "v1",
                    api.readNamespacedConfigMap("cj-crud", NS)
                            .execute()
                            .getData()
                            .get("k"));

            var duplicate = assertThrows(
                    ApiException.class,
                    () -> api.createNamespacedConfigMap(NS, v1ConfigMap("cj-crud", "v1"))
                            .execute());
            assertEquals(
                    StatusView.failure(
                            409, "AlreadyExists", "configmaps \"cj-crud\" already exists", "configmaps", "cj-crud"),
                    StatusView.of(alice, duplicate));

            String staleVersion = created.getMetadata().getResourceVersion();
            created.setData(Map.of("k", "v2"));
            V1ConfigMap updated =
                    api.replaceNamespacedConfigMap("cj-crud", NS, created).execute();
            assertEquals("v2", updated.getData().get("k"));
            created.getMetadata().setResourceVersion(staleVersion);
            created.setData(Map.of("k", "v3"));
            var stale = assertThrows(
                    ApiException.class,
                    () -> api.replaceNamespacedConfigMap("cj-crud", NS, created).execute());
            assertEquals(
                    StatusView.failure(
                            409,
                            "Conflict",
                            "Operation cannot be fulfilled on configmaps \"cj-crud\": the object has been modified; "
                                    + "please apply your changes to the latest version and try again",
                            "configmaps",
                            "cj-crud"),
                    StatusView.of(alice, stale));

            var missing = assertThrows(
                    ApiException.class,
                    () -> api.readNamespacedConfigMap("cj-absent", NS).execute());
            assertEquals(
                    StatusView.failure(
                            404, "NotFound", "configmaps \"cj-absent\" not found", "configmaps", "cj-absent"),
                    StatusView.of(alice, missing));

            var forbidden = assertThrows(
                    ApiException.class,
                    () -> api.readNamespacedSecret("cj-secret", NS).execute());
            assertEquals(
                    StatusView.failure(
                            403,
                            "Forbidden",
                            "secrets \"cj-secret\" is forbidden: User \"alice\" cannot get resource \"secrets\" in API "
                                    + "group \"\" in the namespace \"clients-diff\"",
                            "secrets",
                            "cj-secret"),
                    StatusView.of(alice, forbidden));

            V1Status deleted = api.deleteNamespacedConfigMap("cj-crud", NS).execute();
            assertEquals("cj-crud", deleted.getDetails().getName());
            var gone = assertThrows(
                    ApiException.class,
                    () -> api.deleteNamespacedConfigMap("cj-crud", NS).execute());
            assertEquals(
                    StatusView.failure(404, "NotFound", "configmaps \"cj-crud\" not found", "configmaps", "cj-crud"),
                    StatusView.of(alice, gone));
        }

        @Test
        void fabric8Watch() throws Exception {
            unlessDivergent("fabric8 watch");
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (var watch = c.alice()
                    .configMaps()
                    .inNamespace(NS)
                    .withName("f8-watch")
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap cm) {
                            events.add(action + " " + cm.getMetadata().getName() + " "
                                    + cm.getData().get("k"));
                        }

                        @Override
                        public void onClose(WatcherException cause) {
                            events.add("closed: " + cause.getMessage());
                        }
                    })) {
                adminWritesAndDeletes("f8-watch");
                assertEquals(
                        List.of("ADDED f8-watch v1", "MODIFIED f8-watch v2", "DELETED f8-watch v2"), take(events, 3));
            }
        }

        @Test
        void fabric8WatchForbidden() {
            unlessDivergent("fabric8 watch refused");
            var forbidden = assertThrows(
                    KubernetesClientException.class,
                    () -> c.alice().secrets().inNamespace(NS).watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Secret s) {}

                        @Override
                        public void onClose(WatcherException cause) {}
                    }));
            // fabric8 reads no Status from a refused watch: the code and the HTTP reason phrase
            assertEquals(
                    new StatusView(403, null, null, "Forbidden", null, null, null, List.of()),
                    StatusView.of(forbidden));
        }

        @Test
        void clientJavaWatch() throws Exception {
            ApiClient alice = c.aliceJava();
            CoreV1Api api = new CoreV1Api(alice);
            var type = new TypeToken<io.kubernetes.client.util.Watch.Response<V1ConfigMap>>() {}.getType();
            List<String> seen = new ArrayList<>();
            try (io.kubernetes.client.util.Watch<V1ConfigMap> watch = io.kubernetes.client.util.Watch.createWatch(
                    alice,
                    api.listNamespacedConfigMap(NS)
                            .fieldSelector("metadata.name=cj-watch")
                            .watch(true)
                            .buildCall(null),
                    type)) {
                adminWritesAndDeletes("cj-watch");
                while (seen.size() < 3 && watch.hasNext()) {
                    var event = watch.next();
                    seen.add(event.type + " " + event.object.getMetadata().getName() + " "
                            + event.object.getData().get("k"));
                }
            }
            assertEquals(List.of("ADDED cj-watch v1", "MODIFIED cj-watch v2", "DELETED cj-watch v2"), seen);

            var forbidden = assertThrows(
                    ApiException.class,
                    () -> io.kubernetes.client.util.Watch.createWatch(
                            alice,
                            api.listNamespacedSecret(NS).watch(true).buildCall(null),
                            new TypeToken<io.kubernetes.client.util.Watch.Response<V1Secret>>() {}.getType()));
            assertEquals(
                    StatusView.failure(
                            403,
                            "Forbidden",
                            "secrets is forbidden: User \"alice\" cannot watch resource \"secrets\" in API group \"\" "
                                    + "in the namespace \"clients-diff\"",
                            "secrets",
                            null),
                    StatusView.of(alice, forbidden));
        }

        @Test
        void fabric8Informer() throws Exception {
            unlessDivergent("fabric8 informer");
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            SharedIndexInformer<ConfigMap> informer = c.alice()
                    .configMaps()
                    .inNamespace(NS)
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap cm) {
                            record("add", cm);
                        }

                        @Override
                        public void onUpdate(ConfigMap old, ConfigMap cm) {
                            record("update", cm);
                        }

                        @Override
                        public void onDelete(ConfigMap cm, boolean unknownFinalState) {
                            record("delete", cm);
                        }

                        private void record(String what, ConfigMap cm) {
                            if (cm.getMetadata().getName().equals("f8-informer")) {
                                events.add(what + " " + cm.getData().get("k"));
                            }
                        }
                    });
            try {
                adminWritesAndDeletes("f8-informer");
                assertEquals(List.of("add v1", "update v2", "delete v2"), take(events, 3));
                assertNull(informer.getStore().getByKey(NS + "/f8-informer"));
            } finally {
                informer.close();
            }
        }

        @Test
        void clientJavaInformer() throws Exception {
            ApiClient alice = c.aliceJava();
            CoreV1Api api = new CoreV1Api(alice);
            SharedInformerFactory factory = new SharedInformerFactory(alice);
            var informer = factory.sharedIndexInformerFor(
                    params -> api.listNamespacedConfigMap(NS)
                            .resourceVersion(params.resourceVersion)
                            .watch(params.watch)
                            .timeoutSeconds(params.timeoutSeconds)
                            .buildCall(null),
                    V1ConfigMap.class,
                    V1ConfigMapList.class);
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            informer.addEventHandler(new io.kubernetes.client.informer.ResourceEventHandler<>() {
                @Override
                public void onAdd(V1ConfigMap cm) {
                    record("add", cm);
                }

                @Override
                public void onUpdate(V1ConfigMap old, V1ConfigMap cm) {
                    record("update", cm);
                }

                @Override
                public void onDelete(V1ConfigMap cm, boolean unknownFinalState) {
                    record("delete", cm);
                }

                private void record(String what, V1ConfigMap cm) {
                    if (cm.getMetadata().getName().equals("cj-informer")) {
                        events.add(what + " " + cm.getData().get("k"));
                    }
                }
            });
            factory.startAllRegisteredInformers();
            try {
                Instant deadline = Instant.now().plusSeconds(30);
                while (!informer.hasSynced() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                adminWritesAndDeletes("cj-informer");
                assertEquals(List.of("add v1", "update v2", "delete v2"), take(events, 3));
            } finally {
                factory.stopAllRegisteredInformers(true);
            }
        }

        @Test
        void fabric8ServerSideApply() {
            var configMaps = c.alice().configMaps().inNamespace(NS);
            ConfigMap applied = configMaps
                    .resource(configMap("f8-apply", "v1"))
                    .fieldManager("manager-one")
                    .serverSideApply();
            assertEquals(
                    List.of("manager-one Apply"), managers(applied.getMetadata().getManagedFields()));

            var conflict = assertThrows(
                    KubernetesClientException.class,
                    () -> configMaps
                            .resource(configMap("f8-apply", "v2"))
                            .fieldManager("manager-two")
                            .serverSideApply());
            assertEquals(
                    new StatusView(
                            409,
                            "Failure",
                            "Conflict",
                            "Apply failed with 1 conflict: conflict with \"manager-one\": .data.k",
                            null,
                            null,
                            null,
                            List.of("FieldManagerConflict .data.k: conflict with \"manager-one\"")),
                    StatusView.of(conflict));

            ConfigMap forced = configMaps
                    .resource(configMap("f8-apply", "v2"))
                    .fieldManager("manager-two")
                    .forceConflicts()
                    .serverSideApply();
            assertEquals("v2", forced.getData().get("k"));
            assertEquals(
                    List.of("manager-two Apply"), managers(forced.getMetadata().getManagedFields()));

            var forbidden = assertThrows(
                    KubernetesClientException.class,
                    () -> c.alice()
                            .secrets()
                            .inNamespace(NS)
                            .resource(new SecretBuilder()
                                    .withNewMetadata()
                                    .withName("f8-apply")
                                    .endMetadata()
                                    .build())
                            .fieldManager("manager-one")
                            .serverSideApply());
            assertEquals(
                    StatusView.failure(
                            403,
                            "Forbidden",
                            "secrets \"f8-apply\" is forbidden: User \"alice\" cannot patch resource \"secrets\" in API "
                                    + "group \"\" in the namespace \"clients-diff\"",
                            "secrets",
                            "f8-apply"),
                    StatusView.of(forbidden));
        }

        @Test
        void clientJavaServerSideApply() throws Exception {
            ApiClient alice = c.aliceJava();
            CoreV1Api api = new CoreV1Api(alice);
            V1ConfigMap applied = apply(alice, api, "cj-apply", "v1", "manager-one", false);
            assertEquals("v1", applied.getData().get("k"));

            var conflict =
                    assertThrows(ApiException.class, () -> apply(alice, api, "cj-apply", "v2", "manager-two", false));
            assertEquals(
                    new StatusView(
                            409,
                            "Failure",
                            "Conflict",
                            "Apply failed with 1 conflict: conflict with \"manager-one\": .data.k",
                            null,
                            null,
                            null,
                            List.of("FieldManagerConflict .data.k: conflict with \"manager-one\"")),
                    StatusView.of(alice, conflict));
            assertEquals(
                    "v2",
                    apply(alice, api, "cj-apply", "v2", "manager-two", true)
                            .getData()
                            .get("k"));
        }

        @Test
        void selfSubjectAccessReviews() throws Exception {
            var aliceCreates =
                    c.alice().authorization().v1().selfSubjectAccessReview().create(review("create", "configmaps"));
            assertTrue(aliceCreates.getStatus().getAllowed());
            assertEquals(
                    "RBAC: allowed by RoleBinding \"alice-configmaps/clients-diff\" of Role \"configmap-editor\" to "
                            + "User \"alice\"",
                    aliceCreates.getStatus().getReason());
            var aliceReadsSecrets =
                    c.alice().authorization().v1().selfSubjectAccessReview().create(review("get", "secrets"));
            assertEquals(false, aliceReadsSecrets.getStatus().getAllowed());
            assertNull(aliceReadsSecrets.getStatus().getReason());
            assertNull(aliceReadsSecrets.getStatus().getDenied());
            var admin = c.admin().authorization().v1().selfSubjectAccessReview().create(review("get", "secrets"));
            assertTrue(admin.getStatus().getAllowed());
            assertNull(admin.getStatus().getReason());

            var javaAlice = new AuthorizationV1Api(c.aliceJava())
                    .createSelfSubjectAccessReview(new V1SelfSubjectAccessReview()
                            .spec(new V1SelfSubjectAccessReviewSpec()
                                    .resourceAttributes(new V1ResourceAttributes()
                                            .namespace(NS)
                                            .verb("delete")
                                            .resource("secrets"))))
                    .execute();
            assertEquals(false, javaAlice.getStatus().getAllowed());
            assertNull(javaAlice.getStatus().getReason());
            var javaAliceCm = new AuthorizationV1Api(c.aliceJava())
                    .createSelfSubjectAccessReview(new V1SelfSubjectAccessReview()
                            .spec(new V1SelfSubjectAccessReviewSpec()
                                    .resourceAttributes(new V1ResourceAttributes()
                                            .namespace(NS)
                                            .verb("watch")
                                            .resource("configmaps"))))
                    .execute();
            assertTrue(javaAliceCm.getStatus().getAllowed());
            assertEquals(
                    aliceCreates.getStatus().getReason(),
                    javaAliceCm.getStatus().getReason());

            // an empty spec is refused by validation; client-java sends no kind, hence the message's empty kind
            var invalid = assertThrows(
                    ApiException.class,
                    () -> new AuthorizationV1Api(c.aliceJava())
                            .createSelfSubjectAccessReview(
                                    new V1SelfSubjectAccessReview().spec(new V1SelfSubjectAccessReviewSpec()))
                            .execute());
            assertEquals(
                    new StatusView(
                            422,
                            "Failure",
                            "Invalid",
                            ".authorization.k8s.io \"\" is invalid: spec.resourceAttributes: Invalid value: null: "
                                    + "exactly one of nonResourceAttributes or resourceAttributes must be specified",
                            "authorization.k8s.io",
                            null,
                            null,
                            List.of("FieldValueInvalid spec.resourceAttributes: Invalid value: null: exactly one of "
                                    + "nonResourceAttributes or resourceAttributes must be specified")),
                    StatusView.of(c.aliceJava(), invalid));
        }

        @Test
        void selfSubjectReviews() throws Exception {
            SelfSubjectReview alice =
                    c.alice().authentication().v1().selfSubjectReviews().create(new SelfSubjectReview());
            assertEquals("alice", alice.getStatus().getUserInfo().getUsername());
            assertEquals(
                    List.of("dev", "system:authenticated"),
                    alice.getStatus().getUserInfo().getGroups());
            assertNull(alice.getStatus().getUserInfo().getUid());
            // v1.34 names the client certificate in extra: X509SHA256= and the hex SHA-256 of its DER
            Map<String, List<String>> extra = alice.getStatus().getUserInfo().getExtra();
            assertEquals(Set.of("authentication.kubernetes.io/credential-id"), extra.keySet());
            assertTrue(
                    extra.get("authentication.kubernetes.io/credential-id")
                            .get(0)
                            .matches("X509SHA256=[0-9a-f]{64}"),
                    extra.toString());

            V1SelfSubjectReview admin = new AuthenticationV1Api(c.adminJava())
                    .createSelfSubjectReview(new V1SelfSubjectReview())
                    .execute();
            assertEquals("kubernetes-admin", admin.getStatus().getUserInfo().getUsername());
            assertEquals(
                    List.of("system:masters", "system:authenticated"),
                    admin.getStatus().getUserInfo().getGroups());
            V1SelfSubjectReview aliceJava = new AuthenticationV1Api(c.aliceJava())
                    .createSelfSubjectReview(new V1SelfSubjectReview())
                    .execute();
            assertEquals("alice", aliceJava.getStatus().getUserInfo().getUsername());
            assertEquals(
                    List.of("dev", "system:authenticated"),
                    aliceJava.getStatus().getUserInfo().getGroups());
        }

        /** As the admin: create with k=v1, update to k=v2, delete, so that a watcher sees three events. */
        private void adminWritesAndDeletes(String name) {
            var configMaps = c.admin().configMaps().inNamespace(NS);
            ConfigMap created = configMaps.resource(configMap(name, "v1")).create();
            configMaps.resource(withData(created, "v2")).update();
            configMaps.withName(name).delete();
        }

        private static V1ConfigMap apply(
                ApiClient client, CoreV1Api api, String name, String value, String manager, boolean force)
                throws ApiException {
            String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                    + "\",\"namespace\":\"" + NS + "\"},\"data\":{\"k\":\"" + value + "\"}}";
            return PatchUtils.patch(
                    V1ConfigMap.class,
                    () -> api.patchNamespacedConfigMap(name, NS, new V1Patch(body))
                            .fieldManager(manager)
                            .force(force)
                            .buildCall(null),
                    V1Patch.PATCH_FORMAT_APPLY_YAML,
                    client);
        }

        private static SelfSubjectAccessReview review(String verb, String resource) {
            return new SelfSubjectAccessReviewBuilder()
                    .withNewSpec()
                    .withNewResourceAttributes()
                    .withNamespace(NS)
                    .withVerb(verb)
                    .withResource(resource)
                    .endResourceAttributes()
                    .endSpec()
                    .build();
        }

        private static List<String> managers(List<ManagedFieldsEntry> entries) {
            return entries.stream()
                    .map(m -> m.getManager() + " " + m.getOperation())
                    .toList();
        }

        private static List<String> take(BlockingQueue<String> events, int n) throws InterruptedException {
            List<String> taken = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String e = events.poll(30, TimeUnit.SECONDS);
                if (e == null) {
                    break;
                }
                taken.add(e);
            }
            return taken;
        }

        private static ConfigMap configMap(String name, String value) {
            return new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NS)
                    .endMetadata()
                    .addToData("k", value)
                    .build();
        }

        private static ConfigMap withData(ConfigMap cm, String value) {
            return new ConfigMapBuilder(cm).addToData("k", value).build();
        }

        private static V1ConfigMap v1ConfigMap(String name, String value) {
            return new V1ConfigMap()
                    .metadata(new V1ObjectMeta().name(name).namespace(NS))
                    .data(Map.of("k", value));
        }
    }
}
