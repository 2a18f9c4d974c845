package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.admission.PodResources;
import io.kubetwin.apiserver.admission.Tolerations;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * The PodTolerationRestriction plugin (plugin/pkg/admission/podtolerationrestriction/admission.go): a new pod
 * gets its namespace's default tolerations (annotation {@code scheduler.alpha.kubernetes.io/defaultTolerations},
 * else the plugin configuration's {@code default}), and every pod that is not BestEffort tolerates
 * {@code node.kubernetes.io/memory-pressure:NoSchedule}; then all its tolerations must be covered by the
 * namespace's whitelist ({@code scheduler.alpha.kubernetes.io/tolerationsWhitelist}, else the configuration's
 * {@code whitelist}). Upstream's whitelist refusal is a plain error, which the apiserver answers as a 500 without
 * a reason.
 */
public final class PodTolerationRestriction implements AdmissionPlugin {
    static final String DEFAULTS = "scheduler.alpha.kubernetes.io/defaultTolerations";
    static final String WHITELIST = "scheduler.alpha.kubernetes.io/tolerationsWhitelist";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storage storage;
    private final boolean podLevel;
    private final JsonNode clusterDefaults;
    private final JsonNode clusterWhitelist;

    /** @param configuration the plugin's Configuration from the admission config file, or null */
    /** @param podLevel the PodLevelResources gate: whether spec.resources has a part in the QoS class */
    public PodTolerationRestriction(Storage storage, JsonNode configuration, boolean podLevel) {
        this.storage = storage;
        this.podLevel = podLevel;
        JsonNode c = configuration == null ? JsonNodeFactory.instance.objectNode() : configuration;
        this.clusterDefaults = c.path("default").isArray() ? c.path("default") : JsonNodeFactory.instance.arrayNode();
        this.clusterWhitelist =
                c.path("whitelist").isArray() ? c.path("whitelist") : JsonNodeFactory.instance.arrayNode();
    }

    @Override
    public String name() {
        return "PodTolerationRestriction";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    private static boolean ignored(AdmissionAttributes a) {
        return !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        Future<JsonNode> extra = a.operation() == Operation.CREATE
                ? namespaceTolerations(a.namespace(), DEFAULTS).map(ts -> ts == null ? clusterDefaults : ts)
                : Future.succeededFuture(JsonNodeFactory.instance.arrayNode());
        return extra.compose(ts -> {
            ArrayNode all = JsonNodeFactory.instance.arrayNode();
            all.addAll((ArrayNode) ts.deepCopy());
            if (!PodResources.isBestEffort(a.object().path("spec"), podLevel)) {
                all.addObject()
                        .put("key", "node.kubernetes.io/memory-pressure")
                        .put("operator", "Exists")
                        .put("effect", "NoSchedule");
            }
            if (!all.isEmpty()) {
                ObjectNode spec = (ObjectNode) a.object().path("spec");
                spec.set("tolerations", Tolerations.merge(spec.path("tolerations"), all));
            }
            return validate(a);
        });
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (ignored(a) || a.object().path("spec").path("tolerations").isEmpty()) {
            return Future.succeededFuture();
        }
        return namespaceTolerations(a.namespace(), WHITELIST).compose(ns -> {
            JsonNode whitelist = ns == null ? clusterWhitelist : ns;
            String scope = ns == null ? "cluster" : "namespace";
            if (whitelist.isEmpty()) {
                return Future.succeededFuture();
            }
            for (JsonNode t : a.object().path("spec").path("tolerations")) {
                boolean covered = false;
                for (JsonNode w : whitelist) {
                    covered |= Tolerations.isSuperset(w, t);
                }
                if (!covered) {
                    return Future.failedFuture(new StatusException(Status.failure(
                            500,
                            "",
                            "pod tolerations (possibly merged with namespace default tolerations) conflict with its "
                                    + scope + " whitelist",
                            null)));
                }
            }
            return Future.succeededFuture();
        });
    }

    /** The namespace annotation's tolerations; null when the annotation is absent, empty when it is "". */
    private Future<JsonNode> namespaceTolerations(String namespace, String annotation) {
        return storage.get(NamespaceExists.NAMESPACES.object("", namespace))
                .recover(e -> Future.failedFuture(
                        e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                                ? Statuses.notFound("", "namespaces", namespace)
                                : Statuses.internalError(e.getMessage())))
                .compose(ns -> {
                    JsonNode value = ns.path("metadata").path("annotations").get(annotation);
                    if (value == null) {
                        return Future.succeededFuture(null);
                    }
                    if (value.asText().isEmpty()) {
                        return Future.succeededFuture(JsonNodeFactory.instance.arrayNode());
                    }
                    try {
                        JsonNode parsed = JSON.readTree(value.asText());
                        return Future.succeededFuture(
                                parsed != null && parsed.isArray() ? parsed : JsonNodeFactory.instance.arrayNode());
                    } catch (IOException e) {
                        return Future.failedFuture(new StatusException(Status.failure(500, "", e.getMessage(), null)));
                    }
                });
    }
}
