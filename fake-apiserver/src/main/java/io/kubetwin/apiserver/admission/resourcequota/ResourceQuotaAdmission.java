package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.api.ResourceLists;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ResourceQuota plugin (k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go CheckRequest),
 * enabled by default, validating phase. Every quota of the namespace whose {@code status.hard} tracks
 * something the write charges (and whose scopes match the object) must have room for the change;
 * the new usage is then written to the quota's status at once (not for dry runs), as upstream's evaluator
 * does, so that the next write sees it. Usage that goes down (deletes) is given back by the quota
 * controller, not here. A status write that loses a race re-checks against the fresh quotas.
 */
public final class ResourceQuotaAdmission implements AdmissionPlugin {
    static final ResourceKey QUOTAS = new ResourceKey("", "resourcequotas");
    private static final int RETRIES = 3;

    private final Storage storage;
    private final Clock clock;
    private final boolean podLevel;

    /** @param podLevel the PodLevelResources gate: whether a pod's spec.resources counts */
    public ResourceQuotaAdmission(Storage storage, Clock clock, boolean podLevel) {
        this.storage = storage;
        this.clock = clock;
        this.podLevel = podLevel;
    }

    @Override
    public String name() {
        return "ResourceQuota";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (a.namespace().isEmpty()
                || (a.operation() == Operation.CREATE && a.isNamespaceKind())
                || a.object() == null) {
            return Future.succeededFuture();
        }
        return QuotaEvaluators.forResource(a.resourceGroup(), a.resource(), podLevel)
                .filter(e -> e.handles(a))
                .map(e -> check(a, e, RETRIES))
                .orElse(Future.succeededFuture());
    }

    private Future<Void> check(AdmissionAttributes a, QuotaEvaluator evaluator, int retries) {
        return storage.list(QUOTAS, a.namespace()).compose(list -> {
            List<ResourceQuotaView> quotas =
                    list.items().stream().map(ResourceQuotaView::of).toList();
            Map<Integer, Map<String, Quantity>> newUsage;
            try {
                newUsage = checkRequest(quotas, a, evaluator);
            } catch (Refused r) {
                return Future.failedFuture(AdmissionErrors.forbidden(a, r.getMessage()));
            }
            if (a.dryRun() || newUsage.isEmpty()) {
                return Future.succeededFuture();
            }
            List<Future<ObjectNode>> writes = new ArrayList<>();
            newUsage.forEach((i, used) -> {
                ResourceQuotaView q = quotas.get(i);
                ObjectNode updated = q.object().deepCopy();
                ObjectNode status = updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
                status.set("used", ResourceLists.toJson(used));
                writes.add(storage.update(QUOTAS.object(a.namespace(), q.name()), updated, q.resourceVersion()));
            });
            return Future.all(writes).<Void>mapEmpty().recover(e -> {
                if (retries > 0
                        && e instanceof StorageException se
                        && se.reason() == StorageException.Reason.CONFLICT) {
                    return check(a, evaluator, retries - 1);
                }
                return Future.failedFuture(e);
            });
        });
    }

    /** A refusal's detail, turned into admission.NewForbidden by the caller. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * CheckRequest: the new {@code status.used} of each quota the write changes, by index; throws the
     * refusal when a quota's constraints, status or room do not allow it.
     */
    Map<Integer, Map<String, Quantity>> checkRequest(
            List<ResourceQuotaView> quotas, AdmissionAttributes a, QuotaEvaluator evaluator) throws Refused {
        JsonNode object = a.object();
        List<Integer> interesting = new ArrayList<>();
        for (int i = 0; i < quotas.size(); i++) {
            ResourceQuotaView q = quotas.get(i);
            if (!evaluator.matches(q, object)) {
                continue;
            }
            Set<String> restricted = evaluator.matchingResources(q.hard().keySet());
            String constraint = evaluator.constraints(restricted, object);
            if (constraint != null) {
                throw new Refused("failed quota: " + q.name() + ": " + constraint);
            }
            for (String r : q.hard().keySet()) {
                if (restricted.contains(r) && !q.used().containsKey(r)) {
                    throw new Refused("status unknown for quota: " + q.name() + ", resources: "
                            + String.join(",", new TreeSet<>(restricted)));
                }
            }
            interesting.add(i);
        }
        Map<String, Quantity> input = evaluator.usage(object, clock.instant());
        Set<String> negative = new TreeSet<>();
        input.forEach((k, v) -> {
            if (v.signum() < 0) {
                negative.add(k);
            }
        });
        if (!negative.isEmpty()) {
            throw new Refused("quota usage is negative for resource(s): " + String.join(",", negative));
        }
        Map<Integer, Map<String, Quantity>> deltas = new LinkedHashMap<>();
        interesting.forEach(i -> deltas.put(i, input));
        JsonNode old = a.oldObject();
        if (a.operation() == Operation.UPDATE
                && old != null
                && !old.path("metadata").path("resourceVersion").asText("").isEmpty()) {
            Map<String, Quantity> delta = subtractNonNegative(input, evaluator.usage(old, clock.instant()));
            for (int i : interesting) {
                if (evaluator.matches(quotas.get(i), old)) {
                    deltas.put(i, delta);
                }
            }
        }
        deltas.replaceAll((i, d) -> removeZeros(d));
        deltas.values().removeIf(Map::isEmpty);
        Map<Integer, Map<String, Quantity>> out = new LinkedHashMap<>();
        for (int i : interesting) {
            Map<String, Quantity> delta = deltas.get(i);
            if (delta == null) {
                continue;
            }
            ResourceQuotaView q = quotas.get(i);
            Map<String, Quantity> requested = ResourceLists.mask(delta, q.hard().keySet());
            Map<String, Quantity> newUsed = ResourceLists.add(q.used(), requested);
            if (!"status".equals(a.subresource())) {
                Set<String> exceeded = new TreeSet<>();
                ResourceLists.mask(newUsed, requested.keySet()).forEach((k, v) -> {
                    Quantity hard = q.hard().get(k);
                    if (hard != null && v.compareTo(hard) > 0) {
                        exceeded.add(k);
                    }
                });
                if (!exceeded.isEmpty()) {
                    throw new Refused("exceeded quota: " + q.name()
                            + ", requested: " + ResourceLists.prettyPrint(ResourceLists.mask(requested, exceeded))
                            + ", used: " + ResourceLists.prettyPrint(ResourceLists.mask(q.used(), exceeded))
                            + ", limited: " + ResourceLists.prettyPrint(ResourceLists.mask(q.hard(), exceeded)));
                }
            }
            if (!sameUsage(q.used(), newUsed)) {
                out.put(i, newUsed);
            }
        }
        return out;
    }

    /** quota.SubtractWithNonNegativeResult. */
    static Map<String, Quantity> subtractNonNegative(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> out = new TreeMap<>();
        a.forEach((k, v) -> {
            Quantity d = b.containsKey(k) ? v.subtract(b.get(k)) : v;
            out.put(k, d.signum() < 0 ? Quantity.ZERO : d);
        });
        return out;
    }

    static Map<String, Quantity> removeZeros(Map<String, Quantity> list) {
        Map<String, Quantity> out = new TreeMap<>(list);
        out.values().removeIf(Quantity::isZero);
        return out;
    }

    /** quota.Equals: the same names with equal values. */
    static boolean sameUsage(Map<String, Quantity> a, Map<String, Quantity> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (var e : a.entrySet()) {
            if (!e.getValue().sameValue(b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
