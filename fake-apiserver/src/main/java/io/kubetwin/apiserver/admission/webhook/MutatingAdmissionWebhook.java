package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.EquivalentResources;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.policy.MatchConditions;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.pki.GoText;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * MutatingAdmissionWebhook (k8s.io/apiserver/pkg/admission/plugin/webhook/mutating/dispatcher.go): matching
 * webhooks are called one after the other, each seeing the object as the previous ones patched it. Every call is
 * recorded as {@code mutation.webhook.admission.k8s.io/round_<r>_index_<i>} and every applied patch as
 * {@code patch.webhook.admission.k8s.io/round_<r>_index_<i>}. With {@code reinvocationPolicy: IfNeeded} a webhook
 * runs a second time (round 1) when a webhook after it changed the object.
 *
 * <p>Upstream reinvokes the whole admission chain for round 1 and also reinvokes when another plugin changed the
 * object in between; the fake's other mutating plugins run before this one and are idempotent, so round 1 is run
 * here, over the webhooks alone.
 */
public final class MutatingAdmissionWebhook implements AdmissionPlugin {
    static final String MUTATION_PREFIX = "mutation.webhook.admission.k8s.io/";
    static final String PATCH_PREFIX = "patch.webhook.admission.k8s.io/";
    static final String FAILED_OPEN_PREFIX = "failed-open." + MUTATION_PREFIX;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookInvoker invoker;

    public MutatingAdmissionWebhook(
            Vertx vertx, Storage storage, MatchConditions matchConditions, WebhookCredentials credentials) {
        this.invoker = new WebhookInvoker(vertx, storage, matchConditions, credentials);
    }

    @Override
    public String name() {
        return "MutatingAdmissionWebhook";
    }

    @Override
    public boolean handles(Operation operation) {
        return true;
    }

    /** webhookReinvokeContext: who ran, who must run again. */
    private static final class Reinvocation {
        final Set<String> previouslyInvoked = new HashSet<>();
        final Set<String> reinvoke = new HashSet<>();
        boolean shouldReinvoke;

        void changed() {
            reinvoke.addAll(previouslyInvoked);
            previouslyInvoked.clear();
            shouldReinvoke = true;
        }
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (WebhookRules.exempt(a)) {
            return Future.succeededFuture();
        }
        Context ctx = invoker.context();
        Reinvocation state = new Reinvocation();
        return invoker.webhooks(ctx, true)
                .compose(hooks -> round(ctx, hooks, a, 0, 0, state)
                        .compose(v -> state.shouldReinvoke && !state.reinvoke.isEmpty()
                                ? round(ctx, hooks, a, 1, 0, state)
                                : Future.succeededFuture()));
    }

    private Future<Void> round(
            Context ctx, List<Webhook> hooks, AdmissionAttributes a, int round, int i, Reinvocation state) {
        if (i == hooks.size()) {
            return Future.succeededFuture();
        }
        Webhook hook = hooks.get(i);
        return invoker.matches(ctx, hook, a)
                .compose(m -> {
                    if (m.isEmpty() || (round == 1 && !state.reinvoke.contains(hook.uid()))) {
                        return Future.succeededFuture();
                    }
                    return callOne(ctx, hook, m.get(), a, round, i, state);
                })
                .compose(v -> round(ctx, hooks, a, round, i + 1, state));
    }

    /** Calls one webhook with the request in the version it matched; a patch goes back into the stored form. */
    private Future<Void> callOne(
            Context ctx,
            Webhook hook,
            AdmissionAttributes versioned,
            AdmissionAttributes a,
            int round,
            int index,
            Reinvocation state) {
        String suffix = "round_" + round + "_index_" + index;
        boolean[] changed = {false};
        return invoker.call(ctx, hook, versioned, a)
                .compose(response -> {
                    try {
                        changed[0] = applyPatch(hook, versioned, response, suffix);
                        if (changed[0] && versioned.object() != a.object()) {
                            ObjectNode stored = EquivalentResources.toStored(versioned, versioned.object());
                            a.object().removeAll();
                            a.object().setAll(stored);
                        }
                        return Future.<Void>succeededFuture();
                    } catch (CallingWebhookException | io.kubetwin.apiserver.api.StatusException e) {
                        return Future.<Void>failedFuture(e);
                    }
                })
                .transform(ar -> {
                    a.recorder().annotate(MUTATION_PREFIX + suffix, mutationAnnotation(hook, changed[0]));
                    if (changed[0]) {
                        state.changed();
                    }
                    if (hook.reinvokeIfNeeded()) {
                        state.previouslyInvoked.add(hook.uid());
                    }
                    if (ar.succeeded()) {
                        return Future.succeededFuture();
                    }
                    if (ar.cause() instanceof CallingWebhookException c) {
                        if (hook.failOpen()) {
                            a.recorder().annotate(FAILED_OPEN_PREFIX + suffix, hook.name());
                            return Future.succeededFuture();
                        }
                        return Future.failedFuture(WebhookErrors.failedClosed(c));
                    }
                    return Future.failedFuture(ar.cause());
                });
    }

    /** Applies the answer's patch to the object in place; whether it changed. */
    private static boolean applyPatch(Webhook hook, AdmissionAttributes a, AdmissionReview.Response r, String suffix) {
        if (r.patch().length == 0) {
            return false;
        }
        ArrayNode ops;
        try {
            ops = WebhookPatch.decode(r.patch());
        } catch (WebhookPatch.UndecodableException e) {
            throw new CallingWebhookException(
                    hook.name(), "received undecodable patch in webhook response: " + e.getMessage());
        }
        if (ops.isEmpty()) {
            return false;
        }
        if (a.object() == null) {
            throw Statuses.internalError("admission webhook " + GoText.quote(hook.name())
                    + " attempted to modify the object, which is not supported for this operation");
        }
        if (!"JSONPatch".equals(r.patchType())) {
            throw new CallingWebhookException(hook.name(), "unsupported patch type " + GoText.quote(r.patchType()));
        }
        ObjectNode before = a.object().deepCopy();
        JsonNode after;
        try {
            after = WebhookPatch.apply(ops, before);
        } catch (WebhookPatch.ApplyException e) {
            throw Statuses.internalError(e.getMessage());
        }
        if (!(after instanceof ObjectNode patched)) {
            throw Statuses.internalError(
                    "couldn't get version/kind; json parse error: the patched object is not an object");
        }
        a.recorder().annotate(PATCH_PREFIX + suffix, patchAnnotation(hook, ops));
        boolean changed = !patched.equals(a.object());
        a.object().removeAll();
        a.object().setAll(patched);
        return changed;
    }

    /** MutationAuditAnnotation's JSON. */
    static String mutationAnnotation(Webhook hook, boolean mutated) {
        ObjectNode o = JSON.createObjectNode();
        o.put("configuration", hook.configuration());
        o.put("webhook", hook.name());
        o.put("mutated", mutated);
        return o.toString();
    }

    /** PatchAuditAnnotation's JSON; Go marshals each operation (a map) with its keys sorted. */
    static String patchAnnotation(Webhook hook, ArrayNode ops) {
        ObjectNode o = JSON.createObjectNode();
        o.put("configuration", hook.configuration());
        o.put("webhook", hook.name());
        ArrayNode sorted = o.putArray("patch");
        for (JsonNode op : ops) {
            TreeMap<String, JsonNode> keys = new TreeMap<>();
            op.fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue()));
            ObjectNode s = sorted.addObject();
            keys.forEach(s::set);
        }
        o.put("patchType", "JSONPatch");
        return o.toString();
    }
}
