package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.policy.MatchConditions;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What both dispatchers share: which webhooks a request goes to (generic/webhook.go ShouldCallHook) and one call
 * with its checks (callHook / callAttrMutatingHook up to the verdict): dry-run against sideEffects, the review in
 * the first version the webhook accepts, the answer verified, its audit annotations ({@code <webhook>/<key>}) and
 * warnings recorded, a denial turned into the webhook's Status. Thread-safe.
 */
final class WebhookInvoker {
    private final Vertx vertx;
    private final WebhookSource source;
    private final WebhookSelectors selectors;
    private final WebhookCaller caller;
    private final MatchConditions matchConditions;

    WebhookInvoker(Vertx vertx, Storage storage, MatchConditions matchConditions, WebhookCredentials credentials) {
        this.vertx = vertx;
        this.matchConditions = matchConditions;
        this.source = new WebhookSource(storage);
        this.selectors = new WebhookSelectors(storage);
        this.caller = new WebhookCaller(vertx, new ServiceResolver(storage), credentials);
    }

    /** The request's own context: answers are handled there, so warnings reach the response safely. */
    Context context() {
        return vertx.getOrCreateContext();
    }

    Future<List<Webhook>> webhooks(Context ctx, boolean mutating) {
        return on(ctx, source.webhooks(mutating));
    }

    /**
     * Whether the webhook is called for this request: namespace and object selectors, then the rules, then the CEL
     * matchConditions. A missing namespace fails only when the rules match (upstream reports selector errors after
     * rule matching). A condition that cannot be evaluated fails the request with a 403 under failurePolicy Fail and
     * skips the webhook under Ignore (generic/webhook.go ShouldCallHook, matchconditions/matcher.go). CEL runs on a
     * worker thread: compiling a new expression takes long enough to stall an event loop.
     */
    Future<Optional<AdmissionAttributes>> matches(Context ctx, Webhook hook, AdmissionAttributes a) {
        if (!WebhookSelectors.objectMatches(hook, a)) {
            return Future.succeededFuture(Optional.empty());
        }
        // the request as this webhook sees it: the version its rules matched (matchPolicy Equivalent)
        Optional<AdmissionAttributes> invocation = WebhookRules.invocation(hook, a);
        if (invocation.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        AdmissionAttributes versioned = invocation.get();
        return on(ctx, selectors.namespaceMatches(hook, a)).compose(selected -> {
            if (!selected || hook.matchConditions().isEmpty()) {
                return Future.succeededFuture(selected ? invocation : Optional.empty());
            }
            return on(
                            ctx,
                            vertx.executeBlocking(
                                    () -> matchConditions.evaluate(hook.matchConditions(), versioned), false))
                    .compose(result -> {
                        if (result instanceof MatchConditions.Result.Error e) {
                            return hook.failOpen()
                                    ? Future.succeededFuture(Optional.empty())
                                    : Future.failedFuture(Statuses.forbiddenWithDetail(
                                            a.resourceGroup(), a.resource(), a.name(), e.message()));
                        }
                        return Future.succeededFuture(
                                result instanceof MatchConditions.Result.Matches ? invocation : Optional.empty());
                    });
        });
    }

    /** The verified answer, or a {@link CallingWebhookException}, or the denial's StatusException. */
    Future<AdmissionReview.Response> call(
            Context ctx, Webhook hook, AdmissionAttributes a, AdmissionAttributes requested) {
        if (a.dryRun()
                && !(hook.sideEffects().equals("None") || hook.sideEffects().equals("NoneOnDryRun"))) {
            if (hook.sideEffects().isEmpty()) {
                return Future.failedFuture(new CallingWebhookException(hook.name(), "Webhook SideEffects is nil"));
            }
            return Future.failedFuture(WebhookErrors.dryRunUnsupported(hook.name()));
        }
        String version = AdmissionReview.version(hook).orElse(null);
        if (version == null) {
            return Future.failedFuture(
                    new CallingWebhookException(
                            hook.name(),
                            "could not create admission objects: webhook does not accept known AdmissionReview versions (v1, v1beta1)"));
        }
        String uid = UUID.randomUUID().toString();
        JsonNode review = AdmissionReview.request(uid, version, a, requested);
        return on(ctx, caller.call(hook, version, review)).compose(answer -> {
            AdmissionReview.Response response;
            try {
                response = AdmissionReview.verify(uid, version, hook.mutating(), answer);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new CallingWebhookException(
                        hook.name(), "received invalid webhook response: " + e.getMessage()));
            }
            response.auditAnnotations().forEach((k, v) -> a.recorder().annotate(hook.name() + "/" + k, v));
            response.warnings().forEach(w -> a.recorder().warn(w));
            if (!response.allowed()) {
                return Future.failedFuture(WebhookErrors.denied(hook.name(), response.result()));
            }
            return Future.succeededFuture(response);
        });
    }

    /** {@code f}'s outcome, delivered on {@code ctx}. */
    static <T> Future<T> on(Context ctx, Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> {
            if (Vertx.currentContext() == ctx) {
                p.handle(ar);
            } else {
                ctx.runOnContext(v -> p.handle(ar));
            }
        });
        return p.future();
    }
}
