package io.kubetwin.apiserver.admission.webhook;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.policy.MatchConditions;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ValidatingAdmissionWebhook (k8s.io/apiserver/pkg/admission/plugin/webhook/validating/dispatcher.go): every
 * matching webhook is called at once; when all have answered, the first failure to arrive decides. A webhook that
 * cannot be called fails the request with a 500 under {@code failurePolicy: Fail}, and is skipped under
 * {@code Ignore} with the audit annotation {@code failed-open.validating.webhook.admission.k8s.io/round_0_index_<i>}
 * (i counts the matching webhooks).
 */
public final class ValidatingAdmissionWebhook implements AdmissionPlugin {
    static final String FAILED_OPEN_PREFIX = "failed-open.validating.webhook.admission.k8s.io/";

    private final WebhookInvoker invoker;

    public ValidatingAdmissionWebhook(
            Vertx vertx, Storage storage, MatchConditions matchConditions, WebhookCredentials credentials) {
        this.invoker = new WebhookInvoker(vertx, storage, matchConditions, credentials);
    }

    @Override
    public String name() {
        return "ValidatingAdmissionWebhook";
    }

    @Override
    public boolean handles(Operation operation) {
        return true;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (WebhookRules.exempt(a)) {
            return Future.succeededFuture();
        }
        Context ctx = invoker.context();
        return invoker.webhooks(ctx, false)
                .compose(hooks -> relevant(ctx, hooks, a, 0, new ArrayList<>()))
                .compose(relevant -> callAll(ctx, relevant, a));
    }

    /** A matching webhook and the request as it is called with it (the version its rules matched). */
    private record Invocation(Webhook hook, AdmissionAttributes versioned) {}

    private Future<List<Invocation>> relevant(
            Context ctx, List<Webhook> hooks, AdmissionAttributes a, int i, List<Invocation> found) {
        if (i == hooks.size()) {
            return Future.succeededFuture(found);
        }
        Webhook hook = hooks.get(i);
        return invoker.matches(ctx, hook, a).compose(m -> {
            m.ifPresent(versioned -> found.add(new Invocation(hook, versioned)));
            return relevant(ctx, hooks, a, i + 1, found);
        });
    }

    private Future<Void> callAll(Context ctx, List<Invocation> hooks, AdmissionAttributes a) {
        if (hooks.isEmpty()) {
            return Future.succeededFuture();
        }
        Promise<Void> done = Promise.promise();
        List<Throwable> errors = new ArrayList<>();
        AtomicInteger pending = new AtomicInteger(hooks.size());
        for (int i = 0; i < hooks.size(); i++) {
            Webhook hook = hooks.get(i).hook();
            int index = i;
            invoker.call(ctx, hook, hooks.get(i).versioned(), a).onComplete(ar -> {
                if (ar.failed()) {
                    Throwable e = ar.cause();
                    if (e instanceof CallingWebhookException && hook.failOpen()) {
                        a.recorder().annotate(FAILED_OPEN_PREFIX + "round_0_index_" + index, hook.name());
                    } else if (e instanceof CallingWebhookException c) {
                        errors.add(WebhookErrors.failedClosed(c));
                    } else {
                        errors.add(e);
                    }
                }
                if (pending.decrementAndGet() == 0) {
                    if (errors.isEmpty()) {
                        done.complete();
                    } else {
                        done.fail(errors.get(0));
                    }
                }
            });
        }
        return done.future();
    }
}
