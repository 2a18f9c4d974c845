package io.kubetwin.apiserver.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import io.kubetwin.auth.attributes.UserInfo;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): on create the
 * requester's identity is stamped into spec and status is emptied; updates of the object change
 * neither spec nor status; {@code status} writes change status but keep spec and the Approved/Denied
 * conditions; {@code approval} writes change only the conditions. Condition timestamps are filled as
 * populateConditionTimestamps does. Stateless apart from its clock.
 */
public final class CsrStrategy implements ResourceStrategy {
    static final List<String> SPEC_ORDER =
            List.of("request", "signerName", "expirationSeconds", "usages", "username", "uid", "groups", "extra");
    static final List<String> CONDITION_ORDER =
            List.of("type", "status", "reason", "message", "lastUpdateTime", "lastTransitionTime");

    private final Clock clock;
    private final ResourceStrategy status = new Subresource(CsrValidation.Mode.STATUS);
    private final ResourceStrategy approval = new Subresource(CsrValidation.Mode.APPROVAL);

    public CsrStrategy(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Names.NameRule nameRule() {
        // ValidateCertificateRequestName accepts any name; only the generic path-segment rule applies
        return Names.PATH_SEGMENT;
    }

    @Override
    public void prepareForCreate(ObjectNode csr, UserInfo user) {
        ObjectNode spec = csr.get("spec") instanceof ObjectNode s ? s : csr.putObject("spec");
        spec.remove(List.of("username", "uid", "groups", "extra"));
        spec.put("username", user.name());
        if (!user.uid().isEmpty()) {
            spec.put("uid", user.uid());
        }
        if (!user.groups().isEmpty()) {
            ArrayNode groups = spec.putArray("groups");
            user.groups().forEach(groups::add);
        }
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            new TreeMap<>(user.extra()).forEach((k, v) -> {
                ArrayNode values = extra.putArray(k);
                v.forEach(values::add);
            });
        }
        reorder(spec, SPEC_ORDER);
        // Status{Conditions: []} serialises as an empty object
        csr.putObject("status");
    }

    @Override
    public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
        copy(old, csr, "spec");
        copy(old, csr, "status");
    }

    @Override
    public List<FieldError> validate(ObjectNode csr) {
        return CsrValidation.validate(CsrObject.of(csr), null, CsrValidation.Mode.CREATE);
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode csr, ObjectNode old) {
        return CsrValidation.validate(CsrObject.of(csr), CsrObject.of(old), CsrValidation.Mode.UPDATE);
    }

    @Override
    public ResourceStrategy forSubresource(String subresource) {
        return switch (subresource) {
            case "status" -> status;
            case "approval" -> approval;
            default -> this;
        };
    }

    @Override
    public Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of("spec.signerName", o -> o.path("spec").path("signerName").asText(""));
    }

    @Override
    public List<String> fieldLabels() {
        return List.of("metadata.name", "spec.signerName");
    }

    @Override
    public TableConvertor table() {
        return Printers.CSRS;
    }

    /** The strategy of the status or approval subresource (csrStatusStrategy, csrApprovalStrategy). */
    private final class Subresource implements ResourceStrategy {
        private final CsrValidation.Mode mode;

        Subresource(CsrValidation.Mode mode) {
            this.mode = mode;
        }

        @Override
        public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
            copy(old, csr, "spec");
            ObjectNode newStatus = csr.get("status") instanceof ObjectNode s ? s : csr.putObject("status");
            if (mode == CsrValidation.Mode.STATUS) {
                for (String type : List.of(CsrObject.APPROVED, CsrObject.DENIED)) {
                    preserveConditionInstances(newStatus, old.path("status"), type);
                }
                populateConditionTimestamps(newStatus, old.path("status"));
            } else {
                populateConditionTimestamps(newStatus, old.path("status"));
                JsonNode conditions = newStatus.get("conditions");
                ObjectNode kept = old.path("status") instanceof ObjectNode o ? o.deepCopy() : csr.objectNode();
                kept.remove("conditions");
                if (conditions != null && !conditions.isNull()) {
                    kept.set("conditions", conditions);
                }
                csr.set("status", kept);
                newStatus = kept;
            }
            reorder(newStatus, List.of("conditions", "certificate"));
        }

        @Override
        public List<FieldError> validateUpdate(ObjectNode csr, ObjectNode old) {
            return CsrValidation.validate(CsrObject.of(csr), CsrObject.of(old), mode);
        }
    }

    /** A status write may not change Approved/Denied conditions: when their count is unchanged the old ones are kept. */
    private static void preserveConditionInstances(ObjectNode newStatus, JsonNode oldStatus, String type) {
        List<Integer> oldIdx = indices(oldStatus.path("conditions"), type);
        List<Integer> newIdx = indices(newStatus.path("conditions"), type);
        if (oldIdx.size() != newIdx.size()) {
            return;
        }
        ArrayNode conditions = (ArrayNode) newStatus.get("conditions");
        for (int i = 0; i < oldIdx.size(); i++) {
            conditions.set(
                    newIdx.get(i),
                    oldStatus.path("conditions").get(oldIdx.get(i)).deepCopy());
        }
    }

    private void populateConditionTimestamps(ObjectNode newStatus, JsonNode oldStatus) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode conditions = newStatus.get("conditions");
        if (conditions == null || !conditions.isArray()) {
            return;
        }
        for (JsonNode node : conditions) {
            if (!(node instanceof ObjectNode c)) {
                continue;
            }
            if (c.path("lastUpdateTime").asText("").isEmpty()) {
                c.put("lastUpdateTime", now);
            }
            if (c.path("lastTransitionTime").asText("").isEmpty()) {
                String transition = now;
                for (JsonNode o : oldStatus.path("conditions")) {
                    if (o.path("type").asText("").equals(c.path("type").asText(""))
                            && o.path("status")
                                    .asText("")
                                    .equals(c.path("status").asText(""))
                            && !o.path("lastTransitionTime").asText("").isEmpty()) {
                        transition = o.path("lastTransitionTime").asText();
                        break;
                    }
                }
                c.put("lastTransitionTime", transition);
            }
            reorder(c, CONDITION_ORDER);
        }
    }

    private static List<Integer> indices(JsonNode conditions, String type) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            if (type.equals(conditions.get(i).path("type").asText(""))) {
                out.add(i);
            }
        }
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field).deepCopy());
        } else {
            to.remove(field);
        }
    }

    static void reorder(ObjectNode node, List<String> order) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
        node.removeAll();
        for (String k : order) {
            if (fields.containsKey(k)) {
                node.set(k, fields.remove(k));
            }
        }
        fields.forEach(node::set);
    }
}
