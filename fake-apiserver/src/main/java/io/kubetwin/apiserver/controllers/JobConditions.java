package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A Job's conditions, as the Job, CronJob and TTL-after-finished controllers read and write them
 * (pkg/controller/job/util/utils.go FinishedCondition and IsJobFinished; job_controller.go findConditionByType,
 * newCondition and ensureJobConditionStatus). Every method takes the Job's {@code status} object.
 */
final class JobConditions {
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String SUSPENDED = "Suspended";

    private JobConditions() {}

    /** The first condition of {@code type} (findConditionByType), else null. */
    static JsonNode find(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return null;
    }

    /** The condition of {@code type} with status True, else null. */
    static JsonNode findTrue(JsonNode status, String type) {
        JsonNode c = find(status, type);
        return c != null && "True".equals(c.path("status").asText()) ? c : null;
    }

    /** The first true Complete or Failed condition in list order (jobutil.FinishedCondition), else null. */
    static JsonNode finished(JsonNode status) {
        for (JsonNode c : status.path("conditions")) {
            String type = c.path("type").asText();
            if ((COMPLETE.equals(type) || FAILED.equals(type))
                    && "True".equals(c.path("status").asText())) {
                return c;
            }
        }
        return null;
    }

    /** Its type (Complete or Failed), else null. */
    static String finishedType(JsonNode status) {
        JsonNode c = finished(status);
        return c == null ? null : c.path("type").asText();
    }

    /** newCondition: both times now, in the field order of batch/v1 JobCondition. */
    static ObjectNode newCondition(String type, String value, String reason, String message, Instant now) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("type", type).put("status", value).put("lastProbeTime", time(now)).put("lastTransitionTime", time(now));
        if (!reason.isEmpty()) {
            c.put("reason", reason);
        }
        if (!message.isEmpty()) {
            c.put("message", message);
        }
        return c;
    }

    /** newFailureCondition: FailureTarget first (the terminal condition waits for the pods). */
    static ObjectNode failureTarget(String reason, String message, Instant now) {
        return newCondition(FAILURE_TARGET, "True", reason, message, now);
    }

    /** A true condition of {@code type} with the reason and message of {@code from} (the interim one). */
    static ObjectNode like(String type, JsonNode from, Instant now) {
        return newCondition(
                type, "True", from.path("reason").asText(), from.path("message").asText(), now);
    }

    /** Appends a condition (the interim FailureTarget and SuccessCriteriaMet are appended, never replaced). */
    static void append(ObjectNode status, ObjectNode condition) {
        status.withArray("conditions").add(condition);
    }

    /**
     * ensureJobConditionStatus: replaces the condition of that type when its status, reason or message differ,
     * appends one unless the status is False; answers whether the list changed.
     */
    static boolean ensure(ObjectNode status, String type, String value, String reason, String message, Instant now) {
        ArrayNode conditions = status.withArray("conditions");
        for (int i = 0; i < conditions.size(); i++) {
            JsonNode c = conditions.get(i);
            if (type.equals(c.path("type").asText())) {
                if (value.equals(c.path("status").asText())
                        && reason.equals(c.path("reason").asText())
                        && message.equals(c.path("message").asText())) {
                    return false;
                }
                conditions.set(i, newCondition(type, value, reason, message, now));
                return true;
            }
        }
        if (conditions.isEmpty()) {
            status.remove("conditions");
        }
        if ("False".equals(value)) {
            return false;
        }
        status.withArray("conditions").add(newCondition(type, value, reason, message, now));
        return true;
    }

    /** RFC 3339 seconds, as metav1.Time marshals. */
    static String time(Instant t) {
        return PodTemplates.rfc3339(t);
    }
}
