package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.EquivalentResources;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.policy.Policies.Binding;
import io.kubetwin.apiserver.admission.policy.Policies.Policy;
import io.kubetwin.apiserver.admission.policy.PolicyEvaluator.Action;
import io.kubetwin.apiserver.admission.policy.PolicyEvaluator.Annotation;
import io.kubetwin.apiserver.admission.policy.PolicyEvaluator.Decision;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ValidatingAdmissionPolicy plugin (validating/plugin.go and dispatcher.go): every policy whose
 * matchConstraints select the request is evaluated for each of its bindings that also selects it, once per
 * param; failures are denied, warned and audited as the binding's validationActions say. Policies and
 * bindings are read from storage on each request, so they take effect as soon as they are written.
 */
public final class ValidatingAdmissionPolicyPlugin implements AdmissionPlugin {
    public static final String NAME = "ValidatingAdmissionPolicy";
    static final String GROUP = "admissionregistration.k8s.io";
    static final ResourceKey POLICIES = new ResourceKey(GROUP, "validatingadmissionpolicies");
    static final ResourceKey BINDINGS = new ResourceKey(GROUP, "validatingadmissionpolicybindings");
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");
    static final String FAILURE_ANNOTATION = "validation.policy.admission.k8s.io/validation_failure";

    private final Vertx vertx;
    private final Storage storage;
    private final PolicyParams params;
    private final PolicyEvaluator evaluator;
    private final Authorizer authorizer;

    /**
     * @param vertx runs CEL off the event loop: dev.cel builds its checker environment for every new
     *     expression, which takes long enough to stall an event loop
     */
    public ValidatingAdmissionPolicyPlugin(
            Vertx vertx, Storage storage, ResourceCatalog catalog, Authorizer authorizer, PolicyCel cel) {
        this.vertx = vertx;
        this.storage = storage;
        this.authorizer = authorizer;
        this.params = new PolicyParams(storage, catalog);
        this.evaluator = new PolicyEvaluator(cel);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Operation operation) {
        return true;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        // IsExemptAdmissionConfigurationResource: policies never judge admission configuration itself
        if (GROUP.equals(a.resourceGroup())) {
            return Future.succeededFuture();
        }
        return storage.list(POLICIES, null).compose(policies -> {
            List<Policy> matching = policies.items().stream()
                    .map(Policy::of)
                    .sorted(Comparator.comparing(Policy::name))
                    .toList();
            if (matching.isEmpty()) {
                return Future.succeededFuture();
            }
            return storage.list(BINDINGS, null)
                    .compose(bindings -> namespace(a).compose(ns -> dispatch(a, matching, bindings.items(), ns)));
        });
    }

    private Future<JsonNode> namespace(AdmissionAttributes a) {
        if (a.namespace().isEmpty() || ResourceMatcher.isNamespace(a)) {
            return Future.succeededFuture(null);
        }
        return storage.get(NAMESPACES.object("", a.namespace()))
                .map(n -> (JsonNode) n)
                .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                        ? Future.succeededFuture(null)
                        : Future.failedFuture(e));
    }

    /**
     * One policy-binding pair that selects the request.
     *
     * @param versioned the request as the policy's rules matched it (an equivalent resource under matchPolicy
     *     Equivalent), in that version: what its expressions see
     */
    private record Hook(Policy policy, Binding binding, AdmissionAttributes versioned) {}

    /** A denied decision: the full message and the StatusReason ("" for errors, which answer 422 Invalid). */
    private record Denial(String message, String reason) {}

    private Future<Void> dispatch(
            AdmissionAttributes a, List<Policy> policies, List<ObjectNode> bindingObjects, JsonNode namespace) {
        List<Binding> bindings = bindingObjects.stream()
                .map(Binding::of)
                .sorted(Comparator.comparing(Binding::name))
                .toList();
        List<Hook> hooks = new ArrayList<>();
        for (Policy p : policies) {
            AdmissionAttributes matched = p.matchConstraints() == null
                    ? null
                    : ResourceMatcher.match(p.matchConstraints(), a, namespace, false);
            if (matched == null) {
                continue;
            }
            // the stored form (core/v1 Events, autoscaling/v2 HPAs) in the version the rule matched
            AdmissionAttributes versioned = matched == a ? EquivalentResources.asRequested(a) : matched;
            for (Binding b : bindings) {
                if (b.policyName().equals(p.name())
                        && ResourceMatcher.matches(b.matchResources(), a, namespace, true)) {
                    hooks.add(new Hook(p, b, versioned));
                }
            }
        }
        if (hooks.isEmpty()) {
            return Future.succeededFuture();
        }
        // one activation per version the policies matched the request in (usually just the request's own)
        Map<String, Map<String, Object>> inputs = new java.util.concurrent.ConcurrentHashMap<>();
        Future<List<Denial>> denied = Future.succeededFuture(new ArrayList<>());
        Map<String, Map<String, List<String>>> annotations = new LinkedHashMap<>();
        for (Hook h : hooks) {
            denied = denied.compose(d -> params.collect(h.policy(), h.binding(), a.namespace())
                    .compose(found -> vertx.executeBlocking(
                            () -> evaluate(
                                    h,
                                    found,
                                    inputs.computeIfAbsent(
                                            h.versioned().resourceGroup() + "/"
                                                    + h.versioned().version() + "/"
                                                    + h.versioned().resource(),
                                            k -> PolicyInput.of(h.versioned(), a, namespace, authorizer))),
                            false))
                    .map(results -> {
                        record(a, h, results, d, annotations);
                        return d;
                    })
                    .recover(e -> {
                        if (e instanceof PolicyParams.ParamsException pe) {
                            configError(h, pe.getMessage(), d);
                            return Future.succeededFuture(d);
                        }
                        return Future.failedFuture(e);
                    }));
        }
        return denied.compose(d -> {
            annotations.forEach((policy, byKey) -> byKey.forEach(
                    (key, values) -> a.recorder().annotate(policy + "/" + key, String.join(", ", values))));
            if (d.isEmpty()) {
                return Future.succeededFuture();
            }
            return Future.failedFuture(denial(a, d.get(0).message(), d.get(0).reason()));
        });
    }

    /** addConfigError: under failurePolicy Fail a configuration problem denies, with no reason (422). */
    private static void configError(Hook h, String message, List<Denial> denied) {
        if (!"Ignore".equals(h.policy().failurePolicy()) && denied.isEmpty()) {
            denied.add(new Denial(prefix(h) + "failed to configure binding: " + message, ""));
        }
    }

    private static String prefix(Hook h) {
        return "ValidatingAdmissionPolicy '" + h.policy().name() + "' with binding '"
                + h.binding().name() + "' denied request: ";
    }

    /** The evaluation of one hook for each of its params (pure; runs on a worker thread). */
    private List<PolicyEvaluator.Result> evaluate(Hook h, List<JsonNode> found, Map<String, Object> base) {
        List<PolicyEvaluator.Result> results = new ArrayList<>();
        for (JsonNode param : found) {
            Map<String, Object> input = new LinkedHashMap<>(base);
            input.put("params", CelValues.of(param));
            results.add(evaluator.evaluate(h.policy(), input));
        }
        return results;
    }

    /** The dispatcher's handling of the decisions: denials kept in order, warnings, audit annotations. */
    private static void record(
            AdmissionAttributes a,
            Hook h,
            List<PolicyEvaluator.Result> results,
            List<Denial> denied,
            Map<String, Map<String, List<String>>> annotations) {
        for (PolicyEvaluator.Result result : results) {
            for (Decision d : result.decisions()) {
                if (d.action() != Action.DENY) {
                    continue;
                }
                for (String action : h.binding().actions()) {
                    switch (action) {
                        case "Deny" -> {
                            if (denied.isEmpty()) {
                                denied.add(new Denial(prefix(h) + d.message(), d.reason()));
                            }
                        }
                        case "Audit" -> a.recorder().annotate(FAILURE_ANNOTATION, failureJson(h, d));
                        case "Warn" ->
                            a.recorder()
                                    .warn("Validation failed for ValidatingAdmissionPolicy '"
                                            + h.policy().name() + "' with binding '"
                                            + h.binding().name() + "': "
                                            + d.message());
                        default -> {}
                    }
                }
            }
            for (Annotation an : result.annotations()) {
                if (an.error() != null) {
                    if (denied.isEmpty()) {
                        denied.add(new Denial(prefix(h) + an.error(), ""));
                    }
                    continue;
                }
                List<String> values = annotations
                        .computeIfAbsent(h.policy().name(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(an.key(), k -> new ArrayList<>());
                if (!values.contains(an.value())) {
                    values.add(an.value());
                }
            }
        }
    }

    /** The validation_failure audit annotation: a list of one ValidationFailureValue, as Go marshals it. */
    private static String failureJson(Hook h, Decision d) {
        return "[{\"message\":" + GoJson.string(d.message()) + ",\"policy\":"
                + GoJson.string(h.policy().name())
                + ",\"binding\":" + GoJson.string(h.binding().name()) + ",\"expressionIndex\":" + d.index()
                + ",\"validationActions\":" + GoJson.stringArray(h.binding().actions()) + "}]";
    }

    /**
     * admission.NewForbidden with the decision's reason and code, and the message repeated as a cause, as
     * the dispatcher builds it.
     */
    static StatusException denial(AdmissionAttributes a, String message, String reason) {
        String r = reason.isEmpty() ? "Invalid" : reason;
        int code =
                switch (r) {
                    case "Forbidden" -> 403;
                    case "Unauthorized" -> 401;
                    case "RequestEntityTooLarge" -> 413;
                    default -> 422;
                };
        String name = AdmissionErrors.resourceName(a);
        String text = Statuses.forbiddenPrefix(a.resourceGroup(), a.resource(), name) + message;
        Status.Details details = new Status.Details(
                name, a.resourceGroup(), a.resource(), null, List.of(new Status.Cause(null, message, null)), null);
        return new StatusException(Status.failure(code, r, text, details));
    }
}
