package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What quota counts for one resource (k8s.io/apiserver/pkg/quota/v1 Evaluator, with the core evaluators of
 * pkg/quota/v1/evaluator/core): which writes it looks at, which quota resource names it tracks, the usage
 * one object charges and the fields a quota may require. Shared by admission and the quota controller.
 */
public interface QuotaEvaluator {

    /** Whether this write can change usage (Evaluator.Handles). */
    boolean handles(AdmissionAttributes a);

    /** The quota resource names among {@code hard} this evaluator charges (Evaluator.MatchingResources). */
    Set<String> matchingResources(Collection<String> hard);

    /** Whether the object falls in one scope selector; resources without scopes match none. */
    default boolean matchesScope(ScopeSelector selector, JsonNode object) {
        return false;
    }

    /** "must specify ..." when the object lacks what the required resources need, else null. */
    default String constraints(Set<String> required, JsonNode object) {
        return null;
    }

    /** The usage one object charges. */
    Map<String, Quantity> usage(JsonNode object, Instant now);

    /** generic.Matches: the quota tracks something of ours and every scope of it holds for the object. */
    default boolean matches(ResourceQuotaView quota, JsonNode object) {
        if (matchingResources(quota.hard().keySet()).isEmpty()) {
            return false;
        }
        for (ScopeSelector s : quota.scopeSelectors()) {
            if (!matchesScope(s, object)) {
                return false;
            }
        }
        return true;
    }

    /** One scope requirement: a scope name, an operator and values (Exists for {@code spec.scopes}). */
    record ScopeSelector(String scopeName, String operator, List<String> values) {}

    /** ObjectCountQuotaResourceNameFor: {@code count/<resource>} for the core group, {@code count/<resource>.<group>} else. */
    static String countName(String group, String resource) {
        return group.isEmpty() ? "count/" + resource : "count/" + resource + "." + group;
    }

    /** generic.NewObjectCountEvaluator: one object per create, under count/... and an optional legacy alias. */
    record ObjectCount(Set<String> names) implements QuotaEvaluator {
        static ObjectCount of(String group, String resource, String alias) {
            Set<String> names = new TreeSet<>();
            names.add(countName(group, resource));
            if (alias != null) {
                names.add(alias);
            }
            return new ObjectCount(Set.copyOf(names));
        }

        @Override
        public boolean handles(AdmissionAttributes a) {
            return a.subresource().isEmpty() && a.operation() == Operation.CREATE;
        }

        @Override
        public Set<String> matchingResources(Collection<String> hard) {
            Set<String> out = new TreeSet<>(hard);
            out.retainAll(names);
            return out;
        }

        @Override
        public Map<String, Quantity> usage(JsonNode object, Instant now) {
            Map<String, Quantity> out = new TreeMap<>();
            names.forEach(n -> out.put(n, Quantity.of(1)));
            return out;
        }
    }
}
