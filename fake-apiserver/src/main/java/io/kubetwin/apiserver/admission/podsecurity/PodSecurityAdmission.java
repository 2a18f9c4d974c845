package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PodSecurity plugin (plugin/pkg/admission/security/podsecurity/admission.go over
 * k8s.io/pod-security-admission admission/admission.go), a validating plugin for creates and updates of
 * pods, pod controllers and namespaces:
 *
 * <ul>
 *   <li>pods are denied when they violate the namespace's enforce level, and get a warning for the warn level
 *       and an audit annotation for the audit level;
 *   <li>pod templates of workload kinds only get the warning and the audit annotation, never a denial;
 *   <li>namespaces with invalid labels are refused; raising a namespace's enforce level warns about the
 *       existing pods that would violate it.
 * </ul>
 *
 * Exempt users, namespaces and runtime classes come from the configuration. Audit annotations carry the
 * {@code pod-security.kubernetes.io/} prefix.
 */
public final class PodSecurityAdmission implements AdmissionPlugin {

    /** Reads a namespace (null when it does not exist) and lists a namespace's pods. */
    public interface Cluster {
        Future<ObjectNode> namespace(String name);

        Future<List<ObjectNode>> pods(String namespace);
    }

    static final int NAMESPACE_MAX_PODS_TO_CHECK = 3000;

    private static final Set<String> IGNORED_POD_SUBRESOURCES =
            Set.of("exec", "attach", "binding", "eviction", "log", "portforward", "proxy", "status");

    private final PodSecurityConfiguration config;
    private final Evaluator evaluator;
    private final Cluster cluster;

    public PodSecurityAdmission(PodSecurityConfiguration config, Evaluator evaluator, Cluster cluster) {
        this.config = config;
        this.evaluator = evaluator;
        this.cluster = cluster;
    }

    /** Namespaces and pods read directly from storage (the fake's informers never lag). */
    public static PodSecurityAdmission overStorage(Storage storage, Optional<JsonNode> configuration) {
        return overStorage(storage, configuration, true);
    }

    /** As above, with the ProbeHostPodSecurityStandards gate's value (on at 1.34, off at emulated releases before). */
    public static PodSecurityAdmission overStorage(
            Storage storage, Optional<JsonNode> configuration, boolean probeHost) {
        ResourceKey namespaces = new ResourceKey("", "namespaces");
        ResourceKey pods = new ResourceKey("", "pods");
        return new PodSecurityAdmission(
                PodSecurityConfiguration.parse(configuration), Evaluator.defaultChecks(probeHost), new Cluster() {
                    @Override
                    public Future<ObjectNode> namespace(String name) {
                        return storage.get(namespaces.object("", name));
                    }

                    @Override
                    public Future<List<ObjectNode>> pods(String namespace) {
                        return storage.list(pods, namespace).map(r -> r.items());
                    }
                });
    }

    @Override
    public String name() {
        return "PodSecurity";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    /** What upstream's Validate answers: allowed or an error, plus warnings and audit annotations. */
    record Decision(StatusException error, List<String> warnings, Map<String, String> annotations) {
        static final Decision ALLOWED = new Decision(null, List.of(), Map.of());

        static Decision annotated(String key, String value) {
            return new Decision(null, List.of(), Map.of(key, value));
        }
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (a.object() == null) {
            return Future.succeededFuture();
        }
        Future<Decision> decision;
        if (a.resourceGroup().isEmpty() && "namespaces".equals(a.resource())) {
            decision = validateNamespace(a);
        } else if (a.resourceGroup().isEmpty() && "pods".equals(a.resource())) {
            decision = validatePod(a);
        } else if (PodTemplates.hasPodSpec(a.resourceGroup(), a.resource())) {
            decision = validatePodController(a);
        } else {
            return Future.succeededFuture();
        }
        return decision.compose(d -> {
            d.warnings().forEach(a.recorder()::warn);
            d.annotations().forEach((k, v) -> a.recorder().annotate(NamespacePolicy.PREFIX + k, v));
            return d.error() == null ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(d.error());
        });
    }

    private Future<Decision> validateNamespace(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()) {
            return Future.succeededFuture(Decision.ALLOWED);
        }
        // kube-apiserver gives a namespace's own name as the namespace of its requests
        String name =
                a.name().isEmpty() ? a.object().path("metadata").path("name").asText("") : a.name();
        Map<String, String> labels = labels(a.object());
        NamespacePolicy.Evaluated now = NamespacePolicy.fromLabels(labels, config.defaults());
        if (a.operation() == Operation.CREATE) {
            if (!now.errors().isEmpty()) {
                return Future.succeededFuture(invalid(a, now.errors()));
            }
            return Future.succeededFuture(exemptNamespaceDecision(name, now.policy(), labels));
        }
        NamespacePolicy.Evaluated before =
                NamespacePolicy.fromLabels(a.oldObject() == null ? Map.of() : labels(a.oldObject()), config.defaults());
        if (!now.errors().isEmpty()
                && (before.errors().isEmpty() || !now.errors().equals(before.errors()))) {
            return Future.succeededFuture(invalid(a, now.errors()));
        }
        LevelVersion enforce = now.policy().enforce();
        LevelVersion oldEnforce = before.policy().enforce();
        if (enforce.equals(oldEnforce)
                || enforce.level() == Level.PRIVILEGED
                || (enforce.version().equals(oldEnforce.version())
                        && enforce.level().compare(oldEnforce.level()) < 1)) {
            return Future.succeededFuture(Decision.ALLOWED);
        }
        if (config.exemptNamespace(name)) {
            return Future.succeededFuture(exemptNamespaceDecision(name, now.policy(), labels));
        }
        return cluster.pods(name)
                .map(pods -> new Decision(
                        null, NamespacePodsCheck.warnings(evaluator, config, name, enforce, pods), Map.of()))
                .otherwise(e -> new Decision(
                        null, List.of("failed to list pods while checking new PodSecurity enforce level"), Map.of()));
    }

    private Decision exemptNamespaceDecision(String name, NamespacePolicy policy, Map<String, String> labels) {
        if (!config.exemptNamespace(name) || policy.fullyPrivileged() || policy.equivalent(config.defaults())) {
            return Decision.ALLOWED;
        }
        List<String> modes = new ArrayList<>();
        addMode(modes, "enforce", policy.enforce(), labels);
        addMode(modes, "audit", policy.audit(), labels);
        addMode(modes, "warn", policy.warn(), labels);
        return new Decision(
                null,
                List.of("namespace " + GoText.quote(name) + " is exempt from Pod Security, and the policy ("
                        + String.join(", ", modes) + ") will be ignored"),
                Map.of());
    }

    private static void addMode(List<String> modes, String mode, LevelVersion lv, Map<String, String> labels) {
        String label = NamespacePolicy.PREFIX + mode;
        if (lv.level() != Level.PRIVILEGED && (labels.containsKey(label) || labels.containsKey(label + "-version"))) {
            modes.add(mode + "=" + lv);
        }
    }

    private Future<Decision> validatePod(AdmissionAttributes a) {
        if (IGNORED_POD_SUBRESOURCES.contains(a.subresource())) {
            return Future.succeededFuture(Decision.ALLOWED);
        }
        if (config.exemptNamespace(a.namespace())) {
            return Future.succeededFuture(Decision.annotated("exempt", "namespace"));
        }
        if (config.exemptUser(userName(a))) {
            return Future.succeededFuture(Decision.annotated("exempt", "user"));
        }
        return namespacePolicy(a).map(ns -> {
            if (ns == null) {
                String message = "failed to lookup namespace " + GoText.quote(a.namespace());
                return new Decision(Statuses.internalError(message), List.of(), Map.of("error", message));
            }
            if (ns.errors().isEmpty() && ns.policy().fullyPrivileged()) {
                return Decision.annotated("enforce-policy", LevelVersion.PRIVILEGED_LATEST.toString());
            }
            if (a.operation() == Operation.UPDATE
                    && a.oldObject() != null
                    && !SignificantUpdate.of(
                            a.object().path("spec"), a.oldObject().path("spec"))) {
                return Decision.ALLOWED;
            }
            return evaluate(
                    a, ns, PodView.of(a.object().path("metadata"), a.object().path("spec")), true);
        });
    }

    private Future<Decision> validatePodController(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()) {
            return Future.succeededFuture(Decision.ALLOWED);
        }
        if (config.exemptNamespace(a.namespace())) {
            return Future.succeededFuture(Decision.annotated("exempt", "namespace"));
        }
        if (config.exemptUser(userName(a))) {
            return Future.succeededFuture(Decision.annotated("exempt", "user"));
        }
        return namespacePolicy(a).map(ns -> {
            if (ns == null) {
                return Decision.annotated(
                        "error", "failed to lookup namespace " + GoText.quote(a.namespace()) + ": not found");
            }
            NamespacePolicy p = ns.policy();
            if (ns.errors().isEmpty()
                    && p.warn().level() == Level.PRIVILEGED
                    && p.audit().level() == Level.PRIVILEGED) {
                return Decision.ALLOWED;
            }
            return PodTemplates.extract(a.resourceGroup(), a.resource(), a.object())
                    .map(pod -> evaluate(a, ns, pod, false))
                    .orElse(Decision.ALLOWED);
        });
    }

    /** The namespace's policy, null when the namespace cannot be read. */
    private Future<NamespacePolicy.Evaluated> namespacePolicy(AdmissionAttributes a) {
        return cluster.namespace(a.namespace())
                .map(ns -> NamespacePolicy.fromLabels(labels(ns), config.defaults()))
                .otherwise(e -> null);
    }

    /** EvaluatePod: enforce (pods only), then audit, then warn unless denied; each level evaluated once. */
    private Decision evaluate(AdmissionAttributes a, NamespacePolicy.Evaluated ns, PodView pod, boolean enforce) {
        if (config.exemptRuntimeClass(pod.runtimeClassName())) {
            return Decision.annotated("exempt", "runtimeClass");
        }
        NamespacePolicy p = ns.policy();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (!ns.errors().isEmpty()) {
            List<String> texts = ns.errors().stream().map(FieldError::toString).toList();
            annotations.put("error", "Failed to parse policy: " + GoText.aggregate(texts));
        }
        Map<LevelVersion, AggregateResult> cache = new HashMap<>();
        StatusException denial = null;
        if (enforce) {
            annotations.put("enforce-policy", p.enforce().toString());
            AggregateResult r = cache.computeIfAbsent(p.enforce(), lv -> evaluator.evaluate(lv, pod));
            if (!r.allowed()) {
                denial = Statuses.forbiddenWithDetail(
                        a.resourceGroup(),
                        a.resource(),
                        a.name(),
                        "violates PodSecurity " + GoText.quote(p.enforce().toString()) + ": " + r.forbiddenDetail());
            }
        }
        AggregateResult audit = cache.computeIfAbsent(p.audit(), lv -> evaluator.evaluate(lv, pod));
        if (!audit.allowed()) {
            annotations.put(
                    "audit-violations",
                    "would violate PodSecurity " + GoText.quote(p.audit().toString()) + ": " + audit.forbiddenDetail());
        }
        List<String> warnings = new ArrayList<>();
        if (denial == null) {
            AggregateResult warn = cache.computeIfAbsent(p.warn(), lv -> evaluator.evaluate(lv, pod));
            if (!warn.allowed()) {
                warnings.add("would violate PodSecurity "
                        + GoText.quote(p.warn().toString()) + ": " + warn.forbiddenDetail());
            }
        }
        return new Decision(denial, warnings, annotations);
    }

    private static Decision invalid(AdmissionAttributes a, List<FieldError> errors) {
        return new Decision(FieldError.invalid(a.group(), a.kind(), a.name(), errors), List.of(), Map.of());
    }

    private static String userName(AdmissionAttributes a) {
        return a.user() == null ? "" : a.user().name();
    }

    static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        JsonNode l = object == null ? null : object.path("metadata").get("labels");
        if (l != null && l.isObject()) {
            l.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText("")));
        }
        return labels;
    }
}
