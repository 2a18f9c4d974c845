package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.vertx.core.Future;
import java.util.TreeSet;

/**
 * The ExtendedResourceToleration plugin (plugin/pkg/admission/extendedresourcetoleration/admission.go): a
 * pod requesting an extended resource ({@code example.com/gpu}) tolerates the NoSchedule taint of that name,
 * so nodes with the hardware can be tainted against everything else.
 */
public final class ExtendedResourceToleration implements AdmissionPlugin {

    @Override
    public String name() {
        return "ExtendedResourceToleration";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || a.object() == null) {
            return Future.succeededFuture();
        }
        JsonNode spec = a.object().path("spec");
        TreeSet<String> resources = new TreeSet<>();
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                c.path("resources").path("requests").fieldNames().forEachRemaining(r -> {
                    if (isExtended(r)) {
                        resources.add(r);
                    }
                });
            }
        }
        for (String r : resources) {
            ObjectNode t = JsonNodeFactory.instance.objectNode();
            t.put("key", r).put("operator", "Exists").put("effect", "NoSchedule");
            addOrUpdate((ObjectNode) a.object().path("spec"), t);
        }
        return Future.succeededFuture();
    }

    /** helper.IsExtendedResourceName: a domain-qualified name outside kubernetes.io, not requests.-prefixed. */
    static boolean isExtended(String name) {
        int slash = name.indexOf('/');
        if (slash < 0 || name.startsWith("requests.")) {
            return false;
        }
        String domain = name.substring(0, slash);
        return !domain.equals("kubernetes.io") && !domain.endsWith(".kubernetes.io");
    }

    /** AddOrUpdateTolerationInPod: replace the toleration with the same key, operator, value and effect, else add. */
    static void addOrUpdate(ObjectNode spec, ObjectNode toleration) {
        ArrayNode existing = spec.get("tolerations") instanceof ArrayNode t ? t : null;
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        boolean updated = false;
        if (existing != null) {
            for (JsonNode t : existing) {
                if (same(t, toleration, "key")
                        && same(t, toleration, "effect")
                        && same(t, toleration, "operator")
                        && same(t, toleration, "value")) {
                    if (t.equals(toleration)) {
                        return;
                    }
                    out.add(toleration);
                    updated = true;
                } else {
                    out.add(t);
                }
            }
        }
        if (!updated) {
            out.add(toleration);
        }
        spec.set("tolerations", out);
    }

    private static boolean same(JsonNode a, JsonNode b, String field) {
        return a.path(field).asText("").equals(b.path(field).asText(""));
    }
}
