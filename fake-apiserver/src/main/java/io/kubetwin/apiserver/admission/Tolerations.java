package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Toleration merging (pkg/util/tolerations/tolerations.go), shared by RuntimeClass and
 * PodTolerationRestriction: the union of two lists without the tolerations another one already covers.
 */
public final class Tolerations {
    private Tolerations() {}

    /** MergeTolerations: first then second, dropping each toleration a kept or a later different one covers. */
    public static ArrayNode merge(JsonNode first, JsonNode second) {
        List<JsonNode> all = new ArrayList<>();
        first.forEach(all::add);
        second.forEach(all::add);
        List<JsonNode> merged = new ArrayList<>();
        next:
        for (int i = 0; i < all.size(); i++) {
            JsonNode t = all.get(i);
            for (JsonNode kept : merged) {
                if (isSuperset(kept, t)) {
                    continue next;
                }
            }
            for (JsonNode later : all.subList(i + 1, all.size())) {
                if (!t.equals(later) && isSuperset(later, t)) {
                    continue next;
                }
            }
            merged.add(t);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        merged.forEach(out::add);
        return out;
    }

    /** isSuperset: whether {@code ss} tolerates everything {@code t} does. */
    public static boolean isSuperset(JsonNode ss, JsonNode t) {
        if (ss.equals(t)) {
            return true;
        }
        String ssKey = ss.path("key").asText("");
        String ssOp = ss.path("operator").asText("");
        String ssEffect = ss.path("effect").asText("");
        if (!t.path("key").asText("").equals(ssKey) && (!ssKey.isEmpty() || !"Exists".equals(ssOp))) {
            return false;
        }
        if (!t.path("effect").asText("").equals(ssEffect) && !ssEffect.isEmpty()) {
            return false;
        }
        if ("NoExecute".equals(ssEffect) && ss.hasNonNull("tolerationSeconds")) {
            if (!t.hasNonNull("tolerationSeconds")
                    || t.path("tolerationSeconds").asLong()
                            > ss.path("tolerationSeconds").asLong()) {
                return false;
            }
        }
        return switch (ssOp) {
            // an empty operator means Equal, but only an explicit Equal on t counts (as upstream compares)
            case "Equal", "" ->
                "Equal".equals(t.path("operator").asText(""))
                        && t.path("value").asText("").equals(ss.path("value").asText(""));
            case "Exists" -> true;
            default -> false;
        };
    }
}
