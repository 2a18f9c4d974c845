package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;

/**
 * namespaceSelector and objectSelector, as predicates/namespace/matcher.go and predicates/object/matcher.go decide:
 * a cluster-scoped request (other than on a namespace) always passes the namespace selector; a namespace's own
 * create or update is judged by its new labels; the object selector passes when the new or the old object matches.
 */
final class WebhookSelectors {
    private static final ResourceKey NAMESPACES = new ResourceKey("", "namespaces");

    private final Storage storage;

    WebhookSelectors(Storage storage) {
        this.storage = storage;
    }

    static boolean objectMatches(Webhook hook, AdmissionAttributes a) {
        LabelSelector selector = hook.objectSelector();
        if (isEmpty(selector)) {
            return true;
        }
        return matchesObject(selector, a.object()) || matchesObject(selector, a.oldObject());
    }

    /** Fails with the namespace's 404 when it does not exist, as upstream answers. */
    Future<Boolean> namespaceMatches(Webhook hook, AdmissionAttributes a) {
        String namespace = WebhookRules.namespace(a);
        boolean namespaces = WebhookRules.isNamespaces(a);
        if (namespace.isEmpty() && !namespaces) {
            return Future.succeededFuture(true);
        }
        LabelSelector selector = hook.namespaceSelector();
        if (isEmpty(selector)) {
            return Future.succeededFuture(true);
        }
        if (namespaces
                && a.subresource().isEmpty()
                && (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE)) {
            return Future.succeededFuture(selector.matches(labels(a.object())));
        }
        return storage.get(NAMESPACES.object("", namespace))
                .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                        ? Future.failedFuture(Statuses.notFound("", "namespaces", namespace))
                        : Future.failedFuture(e))
                .map(ns -> selector.matches(labels(ns)));
    }

    private static boolean isEmpty(LabelSelector s) {
        return s.matchLabels().isEmpty() && s.matchExpressions().isEmpty();
    }

    private static boolean matchesObject(LabelSelector selector, JsonNode object) {
        return object != null && selector.matches(labels(object));
    }

    private static Map<String, String> labels(JsonNode object) {
        Map<String, String> labels = new HashMap<>();
        if (object != null) {
            object.path("metadata")
                    .path("labels")
                    .fields()
                    .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }
}
