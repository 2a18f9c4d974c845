package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.client.Kubectl;
import io.kubetwin.scenarios.model.ApiRequest;
import io.kubetwin.scenarios.model.Capability;
import io.kubetwin.scenarios.model.ServerConfig;
import io.kubetwin.scenarios.model.Step;
import io.kubetwin.scenarios.model.Suite;
import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.target.ClusterAuditLog;
import io.kubetwin.scenarios.target.ClusterSpec;
import io.kubetwin.scenarios.target.RunningCluster;
import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.UnsupportedConfigurationException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Runs one suite on one target. Stateless apart from its collaborators: several runners may run in parallel.
 */
public final class SuiteRunner {

    private final SuiteLoader loader = new SuiteLoader();
    private final Path workRoot;
    private final boolean ignorePending;
    private final JsonNode auditPolicy;

    /**
     * @param workRoot where each cluster gets its directory. {@code -Dkubetwin.ignorePending=true} runs pending steps
     *                 anyway, to check whether a capability has landed; CI never sets it.
     */
    public SuiteRunner(Path workRoot) {
        this(workRoot, Boolean.getBoolean("kubetwin.ignorePending"));
    }

    public SuiteRunner(Path workRoot, boolean ignorePending) {
        this(workRoot, ignorePending, null);
    }

    private SuiteRunner(Path workRoot, boolean ignorePending, JsonNode auditPolicy) {
        this.workRoot = workRoot;
        this.ignorePending = ignorePending;
        this.auditPolicy = auditPolicy;
    }

    /**
     * A runner that replays suites under {@code policy} (an audit.k8s.io Policy) instead of their own audit policy,
     * for tools that study what a policy lets through (the scan's audit-coverage replay). Each result then carries
     * every event the cluster wrote ({@link SuiteResult#auditLog()}, read once after the last step); the steps'
     * audit expectations, which are about the suite's own policy, are not evaluated and steps do not wait for their
     * events.
     */
    public SuiteRunner withAuditPolicy(JsonNode policy) {
        return new SuiteRunner(workRoot, ignorePending, policy);
    }

    private Optional<String> pending(Suite suite, String target, Step step) {
        return ignorePending ? Optional.empty() : suite.pendingOn(target, step);
    }

    public SuiteResult run(Suite suite, Target target) {
        long start = System.nanoTime();
        var unavailable = target.unavailableReason();
        if (unavailable.isPresent()) {
            return skipAll(suite, target, "target " + target.name() + " unavailable: " + unavailable.get(), start);
        }
        if (suite.steps().stream()
                .allMatch(s -> pending(suite, target.name(), s).isPresent())) {
            return skipAll(suite, target, null, start);
        }
        Path dir;
        try {
            Files.createDirectories(workRoot);
            dir = Files.createTempDirectory(workRoot, safe(suite.name()) + "-" + target.name() + "-");
        } catch (Exception e) {
            return failAll(suite, target, "cannot create a work directory: " + e.getMessage(), start);
        }
        // the webhook server starts first: the admission configuration may name it (ImagePolicyWebhook's kubeconfig)
        SuiteWebhookServer webhooks;
        ServerConfig server;
        try {
            webhooks = suite.webhooks().isEmpty() ? null : SuiteWebhookServer.start(suite.webhooks());
            server = webhooks == null ? suite.server() : withWebhook(suite.server(), webhooks, dir);
        } catch (Exception e) {
            return failAll(suite, target, "cannot start the suite's webhooks: " + e.getMessage(), start);
        }
        try {
            return run(suite, target, dir, server, webhooks, start);
        } finally {
            if (webhooks != null) {
                webhooks.close();
            }
        }
    }

    /** The server configuration with the webhook server's placeholders filled in its admission configuration. */
    private static ServerConfig withWebhook(ServerConfig server, SuiteWebhookServer webhooks, Path dir)
            throws java.io.IOException {
        var admission = server.admission();
        if (admission.config() == null) {
            return server;
        }
        var kubeconfig = webhooks.writeKubeconfig(dir);
        return new ServerConfig(
                server.flags(),
                server.auditPolicy(),
                server.auditPolicyFile(),
                server.tokens(),
                new ServerConfig.Admission(
                        admission.enable(), admission.disable(), webhooks.fill(admission.config(), kubeconfig)),
                server.clientCa());
    }

    private SuiteResult run(
            Suite suite, Target target, Path dir, ServerConfig server, SuiteWebhookServer webhooks, long start) {
        var spec = new ClusterSpec(
                suite.name(),
                server,
                auditPolicy != null ? auditPolicy : loader.auditPolicy(suite),
                dir.resolve("cluster"),
                suite.kubelets(),
                needsEtcd(suite));
        RunningCluster cluster;
        try {
            cluster = target.start(spec);
        } catch (UnsupportedConfigurationException e) {
            return skipAll(suite, target, target.name() + " cannot run this configuration: " + e.getMessage(), start);
        } catch (Exception e) {
            return failAll(suite, target, "cluster did not start: " + e.getMessage(), start);
        }
        try (cluster) {
            var admin = ApiClient.of(cluster.admin());
            var missingSuiteCapabilities = missing(cluster, required(suite, null));
            if (!missingSuiteCapabilities.isEmpty()) {
                return skipAll(suite, target, cluster.target() + " lacks " + names(missingSuiteCapabilities), start);
            }
            var setup = webhooks == null ? suite.setup() : webhooks.setup(suite);
            var setupError = applySetup(setup, admin);
            if (setupError != null) {
                return failAll(suite, target, setupError, start);
            }
            var provisioner = new ActorProvisioner(cluster, admin);
            var kubectl = Kubectl.find(dir);
            var results = new ArrayList<StepResult>();
            for (var step : suite.steps()) {
                results.add(runStep(suite, step, cluster, provisioner, kubectl));
            }
            var auditLog = auditPolicy != null ? wholeLog(cluster.auditLog()) : List.<JsonNode>of();
            if (cluster.shared()) {
                cleanup(suite, setup, admin);
            }
            return new SuiteResult(suite, target.name(), cluster.description(), null, results, millis(start), auditLog);
        }
    }

    private StepResult runStep(
            Suite suite, Step step, RunningCluster cluster, ActorProvisioner provisioner, Kubectl kubectl) {
        long start = System.nanoTime();
        var pending = pending(suite, cluster.target(), step);
        if (pending.isPresent()) {
            return new StepResult(step, new StepOutcome.Skipped("pending: " + pending.get()), null, 0);
        }
        var missing = missing(cluster, required(suite, step));
        if (!missing.isEmpty()) {
            return new StepResult(
                    step,
                    new StepOutcome.Skipped("not applicable on " + cluster.target() + ": lacks " + names(missing)),
                    null,
                    0);
        }
        if (step.kubectl() != null && !kubectl.available()) {
            return new StepResult(
                    step,
                    new StepOutcome.Skipped("kubectl unavailable: "
                            + kubectl.unavailableReason().orElseThrow()),
                    null,
                    0);
        }
        var access = provisioner.access(suite.actor(step.as()));
        if (access.notApplicable() != null) {
            return new StepResult(step, new StepOutcome.Skipped("not applicable: " + access.notApplicable()), null, 0);
        }
        if (access.error() != null) {
            return new StepResult(step, new StepOutcome.Failed(List.of(access.error())), null, millis(start));
        }
        var deadline = Instant.now().plusSeconds(step.retry() == null ? 0 : step.retry());
        while (true) {
            Observation observation;
            try {
                observation = execute(step, access, cluster, kubectl);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StepResult(step, new StepOutcome.Failed(List.of("interrupted")), null, millis(start));
            } catch (Exception e) {
                return new StepResult(
                        step, new StepOutcome.Failed(List.of("could not execute: " + e)), null, millis(start));
            }
            var expect = auditPolicy != null ? step.expect().withoutAudit() : step.expect();
            var failures = ExpectationEvaluator.failures(expect, observation);
            if (failures.isEmpty() || Instant.now().isAfter(deadline)) {
                return new StepResult(step, StepOutcome.of(failures), observation, millis(start));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new StepResult(step, StepOutcome.of(failures), observation, millis(start));
            }
        }
    }

    private Observation execute(Step step, ActorProvisioner.Access access, RunningCluster cluster, Kubectl kubectl)
            throws Exception {
        if (step.etcd() != null) {
            var endpoint = cluster.etcd()
                    .orElseThrow(() -> new IllegalStateException(cluster.target() + " exposes no etcd endpoint"));
            return Observation.etcd(EtcdReader.read(step.etcd(), endpoint));
        }
        var audit = cluster.auditLog();
        long mark = audit.mark();
        if (step.request() != null && step.request().kubelet() != null) {
            return kubeletRequest(step.request(), access, cluster);
        }
        if (step.request() != null && step.request().raw() != null) {
            var raw = step.request().raw();
            var auditId = RawRequests.auditId(raw).orElse("kubetwin-" + UUID.randomUUID());
            var observation = RawRequests.send(raw, access.kubeconfig(), auditId);
            var events =
                    audit.readable() && auditPolicy == null ? awaitEvents(audit, mark, auditId) : List.<JsonNode>of();
            return new Observation(
                    observation.response(), null, events, audit.readable(), observation.connectionError(), null);
        }
        if (step.request() != null) {
            var request = step.request();
            var headers = new LinkedHashMap<String, List<String>>(request.headers());
            // A step that chooses its own Audit-ID is matched by it too: without a filter, the control plane's
            // own requests in the same moment (the reference's endpoint reconciler) would count as the step's.
            var auditId = headers.entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase("Audit-ID")
                            && !h.getValue().isEmpty())
                    .map(h -> h.getValue().get(0))
                    .findFirst()
                    .orElse(null);
            if (auditId == null) {
                auditId = "kubetwin-" + UUID.randomUUID();
                headers.put("Audit-ID", List.of(auditId));
            }
            String body = request.rawBody();
            if (body == null && request.body() != null) {
                body = request.body().toString();
            }
            var client = ApiClient.of(access.kubeconfig());
            String path = ListedNames.resolve(request.path(), client);
            ApiClient.Response response =
                    client.send(request.method(), path, body, request.effectiveContentType(), headers);
            var events =
                    audit.readable() && auditPolicy == null ? awaitEvents(audit, mark, auditId) : List.<JsonNode>of();
            return new Observation(response, null, events, audit.readable());
        }
        var kubeconfig = Files.createTempFile(kubectl.home(), "kubeconfig-", ".yaml");
        access.kubeconfig().write(kubeconfig);
        var result =
                kubectl.run(kubeconfig, step.kubectl().args(), step.kubectl().stdin());
        List<JsonNode> events = List.of();
        if (audit.readable()) {
            Thread.sleep(300);
            events = audit.since(mark).stream()
                    .filter(e -> !isControlPlaneNoise(e))
                    .toList();
        }
        return new Observation(null, result, events, audit.readable());
    }

    /**
     * A request to one of the suite's kubelets: the actor's credentials (client certificate, token, or none) sent to
     * its HTTPS port trusting the cluster CA, or no credentials to its read-only HTTP port. The kubelet writes no
     * audit log; a port nobody listens on is recorded as {@link Observation#CONNECTION_REFUSED}.
     */
    private static Observation kubeletRequest(
            ApiRequest request, ActorProvisioner.Access access, RunningCluster cluster) {
        var endpoint = cluster.kubelet(request.kubelet())
                .orElseThrow(
                        () -> new IllegalStateException(cluster.target() + " runs no kubelet " + request.kubelet()));
        String url = endpoint.url();
        if (request.readOnlyPort()) {
            if (endpoint.readOnlyUrl() == null) {
                return Observation.unanswered(Observation.CONNECTION_REFUSED);
            }
            url = endpoint.readOnlyUrl();
        }
        var base = access.kubeconfig();
        var kubeconfig = base.toBuilder()
                .cluster(base.currentCluster().name(), url, endpoint.caPem())
                .build();
        String body = request.rawBody();
        if (body == null && request.body() != null) {
            body = request.body().toString();
        }
        try {
            var response = ApiClient.of(kubeconfig)
                    .send(request.method(), request.path(), body, request.effectiveContentType(), request.headers());
            return new Observation(response, null, List.of(), false);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ConnectException) {
                return Observation.unanswered(Observation.CONNECTION_REFUSED);
            }
            throw e;
        }
    }

    /**
     * Waits until the request's final audit event is written (blocking log backend: almost at once), then returns
     * the events carrying the request's audit ID.
     */
    private static List<JsonNode> awaitEvents(ClusterAuditLog audit, long mark, String auditId)
            throws InterruptedException {
        var deadline = System.nanoTime() + 2_000_000_000L;
        List<JsonNode> mine = List.of();
        while (System.nanoTime() < deadline) {
            mine = audit.since(mark).stream()
                    .filter(e -> auditId.equals(e.path("auditID").asText()))
                    .toList();
            if (mine.stream().anyMatch(e -> {
                var stage = e.path("stage").asText();
                return stage.equals("ResponseComplete")
                        || stage.equals("Panic")
                        || (stage.equals("ResponseStarted")
                                && e.path("responseStatus").path("code").asInt() == 401);
            })) {
                Thread.sleep(50); // a following stage may still be on its way
                return audit.since(mark).stream()
                        .filter(e -> auditId.equals(e.path("auditID").asText()))
                        .toList();
            }
            Thread.sleep(25);
        }
        if (mine.isEmpty() && !auditId.startsWith("kubetwin-")) {
            // the server did not keep the client's Audit-ID: everything it wrote meanwhile, but its own traffic
            return audit.since(mark).stream()
                    .filter(e -> !isControlPlaneNoise(e))
                    .toList();
        }
        return mine;
    }

    /** Every event of the log, once it has stopped growing (the last requests' events may still be on their way). */
    private static List<JsonNode> wholeLog(ClusterAuditLog audit) {
        var events = audit.since(0);
        for (int i = 0; i < 20; i++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return events;
            }
            var now = audit.since(0);
            if (now.size() == events.size()) {
                return now;
            }
            events = now;
        }
        return events;
    }

    /** Requests the control plane makes on its own (controller manager, apiserver loopback) during a kubectl step. */
    private static boolean isControlPlaneNoise(JsonNode event) {
        var user = event.path("user").path("username").asText();
        return user.equals("system:apiserver")
                || user.equals("system:kube-controller-manager")
                || user.startsWith("system:serviceaccount:kube-system:");
    }

    private String applySetup(List<JsonNode> setup, ApiClient admin) {
        for (var object : setup) {
            try {
                var response = admin.post(ObjectPaths.collection(object), object.toString());
                if (response.code() != 201 && response.code() != 409 && response.code() != 200) {
                    return "setup: creating " + object.path("kind").asText() + " "
                            + object.path("metadata").path("name").asText() + " answered " + response.code()
                            + ": " + response.body();
                }
            } catch (Exception e) {
                return "setup: " + e;
            }
        }
        return null;
    }

    private void cleanup(Suite suite, List<JsonNode> setup, ApiClient admin) {
        var objects = new ArrayList<JsonNode>(suite.cleanup());
        for (int i = setup.size() - 1; i >= 0; i--) {
            objects.add(setup.get(i));
        }
        for (var object : objects) {
            try {
                admin.delete(ObjectPaths.item(object));
            } catch (Exception ignored) {
                // cleanup is best effort; the next run starts from its own setup
            }
        }
    }

    private Set<Capability> required(Suite suite, Step step) {
        var set = EnumSet.noneOf(Capability.class);
        set.addAll(suite.requires());
        if (suite.server().customised()) {
            set.add(Capability.SERVER_FLAGS);
        }
        if (step != null) {
            set.addAll(step.requires());
            if (step.request() != null && step.request().kubelet() != null) {
                set.add(Capability.KUBELET);
            }
            if (step.etcd() != null) {
                set.add(Capability.ETCD);
            }
            if (step.expect().audit() != null) {
                set.add(Capability.AUDIT_LOG);
            }
        }
        return set;
    }

    /** Whether the suite or any of its steps needs etcd reachable ({@link Capability#ETCD}). */
    private boolean needsEtcd(Suite suite) {
        return suite.requires().contains(Capability.ETCD)
                || suite.steps().stream().anyMatch(s -> required(suite, s).contains(Capability.ETCD));
    }

    private static Set<Capability> missing(RunningCluster cluster, Set<Capability> required) {
        var missing = EnumSet.noneOf(Capability.class);
        missing.addAll(required);
        missing.removeAll(cluster.capabilities());
        return missing;
    }

    private static String names(Set<Capability> capabilities) {
        return String.join(", ", capabilities.stream().map(Capability::yamlName).toList());
    }

    private SuiteResult skipAll(Suite suite, Target target, String reason, long start) {
        var steps = suite.steps().stream()
                .map(s -> new StepResult(
                        s,
                        new StepOutcome.Skipped(
                                reason != null
                                        ? reason
                                        : "pending: "
                                                + suite.pendingOn(target.name(), s)
                                                        .orElse("?")),
                        null,
                        0))
                .toList();
        return new SuiteResult(suite, target.name(), reason, null, steps, millis(start));
    }

    private SuiteResult failAll(Suite suite, Target target, String error, long start) {
        var steps = suite.steps().stream()
                .map(s -> {
                    var pending = suite.pendingOn(target.name(), s);
                    StepOutcome outcome = pending.isPresent()
                            ? new StepOutcome.Skipped("pending: " + pending.get())
                            : new StepOutcome.Failed(List.of(error));
                    return new StepResult(s, outcome, null, 0);
                })
                .toList();
        return new SuiteResult(suite, target.name(), null, error, steps, millis(start));
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
