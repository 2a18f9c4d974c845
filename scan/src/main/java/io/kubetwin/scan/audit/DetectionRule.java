package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * A detection rule over audit events, as Falco's k8saudit rules are: a condition on the fields of a
 * {@code ResponseComplete} event, and what the rule needs to see at all (the level whose fields it reads). Read
 * from a rule file by {@link RuleFile}.
 *
 * @param id        stable id
 * @param concern   what it detects
 * @param needs     the lowest level whose events carry every field the condition reads (Request for request bodies)
 * @param fields    the event fields the condition reads, by their Falco names ({@link AuditField})
 * @param watches   the requests the rule is about, one per kind of requester; the policy must log each of them
 * @param condition the condition, on one event
 */
public record DetectionRule(
        String id,
        String concern,
        AuditLevel needs,
        List<String> fields,
        List<RequestClass> watches,
        Predicate<JsonNode> condition) {
    public DetectionRule {
        fields = List.copyOf(fields);
        watches = List.copyOf(watches);
    }

    /** Whether the rule fires on {@code event}: a ResponseComplete event matching the condition. */
    public boolean firesOn(JsonNode event) {
        return "ResponseComplete".equals(event.path("stage").asText()) && condition.test(event);
    }
}
