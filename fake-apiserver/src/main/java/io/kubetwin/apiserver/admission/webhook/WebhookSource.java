package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The webhooks in force, read from the store on every admission (upstream's configuration managers,
 * mutating_webhook_manager.go / validating_webhook_manager.go: configurations sorted by name, their webhooks in
 * order). Upstream reads an informer's cache, so a new configuration applies after a short lag; reading the store
 * itself makes a configuration apply to the very next request, which is what tests need and what the lag
 * converges to.
 */
public final class WebhookSource {
    static final String GROUP = "admissionregistration.k8s.io";
    static final ResourceKey MUTATING = new ResourceKey(GROUP, "mutatingwebhookconfigurations");
    static final ResourceKey VALIDATING = new ResourceKey(GROUP, "validatingwebhookconfigurations");

    private final Storage storage;

    public WebhookSource(Storage storage) {
        this.storage = storage;
    }

    /** The mutating or the validating webhooks, configurations in name order. */
    public Future<List<Webhook>> webhooks(boolean mutating) {
        return storage.list(mutating ? MUTATING : VALIDATING, "").map(list -> {
            List<ObjectNode> configs = new ArrayList<>(list.items());
            configs.sort(
                    Comparator.comparing(c -> c.path("metadata").path("name").asText("")));
            List<Webhook> hooks = new ArrayList<>();
            configs.forEach(c -> hooks.addAll(Webhook.fromConfiguration(c, mutating)));
            return hooks;
        });
    }
}
