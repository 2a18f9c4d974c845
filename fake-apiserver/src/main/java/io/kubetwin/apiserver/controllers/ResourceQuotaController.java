package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.resourcequota.QuotaEvaluator;
import io.kubetwin.apiserver.admission.resourcequota.QuotaEvaluators;
import io.kubetwin.apiserver.admission.resourcequota.ResourceQuotaView;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ListResult;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The resource quota controller (pkg/controller/resourcequota/resource_quota_controller.go), as far as
 * admission's answers need it: when a quota is created or its {@code spec.hard} changes, and when a
 * counted object goes away or a pod ends, it recounts the namespace's usage and writes {@code status.hard}
 * (a copy of {@code spec.hard}) and {@code status.used}. Upstream also resyncs every five minutes and
 * replenishes on the deletion of any counted resource; here only the kinds below trigger a recount.
 */
final class ResourceQuotaController extends QueueController {
    static final String NAME = "resourcequota-controller";
    private static final ResourceKey QUOTAS = new ResourceKey("", "resourcequotas");
    /** The resources whose deletion gives usage back (upstream: every counted resource). */
    private static final List<ResourceKey> REPLENISHED = List.of(
            new ResourceKey("", "pods"),
            new ResourceKey("", "services"),
            new ResourceKey("", "persistentvolumeclaims"),
            new ResourceKey("", "configmaps"),
            new ResourceKey("", "secrets"),
            new ResourceKey("", "replicationcontrollers"),
            new ResourceKey("", "resourcequotas"),
            new ResourceKey("apps", "deployments"),
            new ResourceKey("apps", "replicasets"),
            new ResourceKey("apps", "statefulsets"),
            new ResourceKey("apps", "daemonsets"),
            new ResourceKey("batch", "jobs"),
            new ResourceKey("batch", "cronjobs"));

    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);
    private final Clock clock;

    ResourceQuotaController(Vertx vertx, GenericRegistry registry, Clock clock) {
        super(vertx, registry, NAME);
        this.clock = clock;
    }

    @Override
    protected List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        sources.add(new Source(
                QUOTAS,
                (type, q) -> type != WatchEvent.Type.DELETED && needsSync(q) ? List.of(namespace(q)) : List.of()));
        for (ResourceKey r : REPLENISHED) {
            if (r.equals(QUOTAS)) {
                continue;
            }
            sources.add(new Source(
                    r,
                    (type, o) -> type == WatchEvent.Type.DELETED
                                    || (type == WatchEvent.Type.MODIFIED && "pods".equals(r.resource()) && ended(o))
                            ? List.of(namespace(o))
                            : List.of()));
        }
        return sources;
    }

    private static String namespace(JsonNode o) {
        return o.path("metadata").path("namespace").asText();
    }

    private static boolean ended(JsonNode pod) {
        String phase = pod.path("status").path("phase").asText("");
        return phase.equals("Succeeded")
                || phase.equals("Failed")
                || pod.path("metadata").has("deletionTimestamp");
    }

    /** A quota whose status does not show its spec's limits yet. */
    private static boolean needsSync(JsonNode q) {
        ResourceQuotaView v = ResourceQuotaView.of((ObjectNode) q);
        return !ResourceLists.toJson(v.specHard()).equals(ResourceLists.toJson(v.hard()))
                || !v.used().keySet().containsAll(v.specHard().keySet());
    }

    @Override
    protected Future<Void> sync(String namespace) {
        ServedResource quotas =
                registry.catalog().lookup("", "v1", "resourcequotas").orElseThrow();
        return registry.storage().list(QUOTAS, namespace).compose(list -> {
            List<Future<Void>> writes = new ArrayList<>();
            for (ObjectNode q : list.items()) {
                writes.add(recount(ResourceQuotaView.of(q)).compose(used -> {
                    ObjectNode status = ResourceLists.toJson(Map.of()).objectNode();
                    status.set("hard", ResourceLists.toJson(recountHard(q)));
                    status.set("used", ResourceLists.toJson(used));
                    if (status.equals(canonical(q.path("status")))) {
                        return Future.<Void>succeededFuture();
                    }
                    ObjectNode updated = q.deepCopy();
                    updated.set("status", status);
                    return registry.update(
                                    quotas,
                                    namespace,
                                    q.path("metadata").path("name").asText(),
                                    updated,
                                    "status",
                                    identity,
                                    false)
                            .<Void>mapEmpty()
                            .recover(e -> ControllerIdentity.isNotFound(e)
                                    ? Future.succeededFuture()
                                    : Future.failedFuture(e));
                }));
            }
            return Future.all(writes).mapEmpty();
        });
    }

    private static Map<String, Quantity> recountHard(ObjectNode q) {
        return ResourceLists.read(q.path("spec").path("hard"));
    }

    private static ObjectNode canonical(JsonNode status) {
        ObjectNode out = ResourceLists.toJson(Map.of());
        out.set("hard", ResourceLists.toJson(ResourceLists.read(status.path("hard"))));
        out.set("used", ResourceLists.toJson(ResourceLists.read(status.path("used"))));
        return out;
    }

    /** CalculateUsageStats for every limit of the quota: the matching objects' usage, zero where none. */
    private Future<Map<String, Quantity>> recount(ResourceQuotaView quota) {
        String namespace = quota.object().path("metadata").path("namespace").asText();
        Map<String, List<String>> byResource = new LinkedHashMap<>();
        Map<String, Quantity> used = new TreeMap<>();
        for (String name : quota.specHard().keySet()) {
            used.put(name, Quantity.ZERO);
            Optional<String[]> r = QuotaEvaluators.resourceOf(name);
            r.ifPresent(gr -> byResource
                    .computeIfAbsent(gr[0] + "/" + gr[1], k -> new ArrayList<>())
                    .add(name));
        }
        // scopes are matched against the quota's spec, which status.hard is about to mirror
        ResourceQuotaView withHard = new ResourceQuotaView(
                quota.object(), quota.name(), quota.specHard(), quota.specHard(), quota.used(), quota.scopeSelectors());
        List<Future<Void>> counts = new ArrayList<>();
        byResource.forEach((gr, names) -> {
            String group = gr.substring(0, gr.indexOf('/'));
            String resource = gr.substring(gr.indexOf('/') + 1);
            QuotaEvaluator evaluator =
                    QuotaEvaluators.forResource(group, resource).orElse(null);
            if (evaluator == null) {
                return;
            }
            counts.add(registry.storage()
                    .list(new ResourceKey(group, resource), namespace)
                    .recover(e -> Future.succeededFuture(new ListResult(List.of(), 0)))
                    .map(list -> {
                        for (ObjectNode o : list.items()) {
                            if (!scopesMatch(evaluator, withHard, o)) {
                                continue;
                            }
                            evaluator.usage(o, clock.instant()).forEach((k, v) -> {
                                if (names.contains(k)) {
                                    used.merge(k, v, Quantity::add);
                                }
                            });
                        }
                        return null;
                    }));
        });
        return Future.all(counts).map(v -> used);
    }

    private static boolean scopesMatch(QuotaEvaluator evaluator, ResourceQuotaView quota, JsonNode o) {
        for (QuotaEvaluator.ScopeSelector s : quota.scopeSelectors()) {
            if (!evaluator.matchesScope(s, o)) {
                return false;
            }
        }
        return true;
    }
}
