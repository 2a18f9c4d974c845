package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Job's {@code spec.podFailurePolicy} applied to one failed pod (pkg/controller/job/pod_failure_policy.go
 * matchPodFailurePolicy): the rules in order, the first that matches decides; onExitCodes looks at the terminated
 * containers with a non-zero exit code (containers, then init containers), onPodConditions at the pod's conditions
 * by type and status (DisruptionTarget among them). Without a policy, or when no rule matches, the failure counts.
 */
final class PodFailurePolicy {
    /**
     * The outcome for one pod.
     *
     * @param failJobMessage the FailJob rule's message, else null
     * @param countFailed    whether the failure counts towards backoffLimit (false for Ignore)
     * @param action         the matching rule's action (FailJob, FailIndex, Ignore, Count), else null
     */
    record Match(String failJobMessage, boolean countFailed, String action) {
        static final Match NONE = new Match(null, true, null);
    }

    private PodFailurePolicy() {}

    /** getFailJobMessage: the message of the first FailJob rule a failed pod of the Job matches, else null. */
    static String failJobMessage(JsonNode job, List<ObjectNode> pods) {
        JsonNode policy = job.path("spec").get("podFailurePolicy");
        if (policy == null || policy.isNull()) {
            return null;
        }
        for (ObjectNode p : pods) {
            if (JobPods.isFailed(p, job)) {
                String message = match(policy, p).failJobMessage();
                if (message != null) {
                    return message;
                }
            }
        }
        return null;
    }

    static Match match(JsonNode policy, JsonNode pod) {
        if (policy == null || policy.isMissingNode() || policy.isNull()) {
            return Match.NONE;
        }
        JsonNode status = pod.path("status");
        String where = pod.path("metadata").path("namespace").asText() + "/"
                + pod.path("metadata").path("name").asText();
        int index = 0;
        for (JsonNode rule : policy.path("rules")) {
            String action = rule.path("action").asText();
            String failJob = null;
            boolean matched = false;
            if (rule.hasNonNull("onExitCodes")) {
                JsonNode container = matchOnExitCodes(status, rule.get("onExitCodes"));
                if (container != null) {
                    matched = true;
                    failJob = "Container " + container.path("name").asText() + " for pod " + where
                            + " failed with exit code "
                            + container
                                    .path("state")
                                    .path("terminated")
                                    .path("exitCode")
                                    .asInt()
                            + " matching " + action + " rule at index " + index;
                }
            } else if (rule.hasNonNull("onPodConditions")) {
                JsonNode condition = matchOnPodConditions(status, rule.get("onPodConditions"));
                if (condition != null) {
                    matched = true;
                    failJob = "Pod " + where + " has condition "
                            + condition.path("type").asText() + " matching " + action + " rule at index " + index;
                }
            }
            if (matched) {
                switch (action) {
                    case "Ignore":
                        return new Match(null, false, action);
                    case "FailIndex":
                    case "Count":
                        return new Match(null, true, action);
                    case "FailJob":
                        return new Match(failJob, true, action);
                    default:
                        break; // an unknown action matches nothing (the loop goes on, as upstream's switch)
                }
            }
            index++;
        }
        return Match.NONE;
    }

    private static JsonNode matchOnExitCodes(JsonNode status, JsonNode requirement) {
        JsonNode c = matchingContainer(status.path("containerStatuses"), requirement);
        return c != null ? c : matchingContainer(status.path("initContainerStatuses"), requirement);
    }

    private static JsonNode matchingContainer(JsonNode statuses, JsonNode requirement) {
        for (JsonNode cs : statuses) {
            JsonNode terminated = cs.path("state").path("terminated");
            if (terminated.isMissingNode() || terminated.isNull()) {
                continue;
            }
            if (requirement.hasNonNull("containerName")
                    && !requirement
                            .get("containerName")
                            .asText()
                            .equals(cs.path("name").asText())) {
                continue;
            }
            int exitCode = terminated.path("exitCode").asInt();
            if (exitCode != 0 && operatorMatches(exitCode, requirement)) {
                return cs;
            }
        }
        return null;
    }

    private static boolean operatorMatches(int exitCode, JsonNode requirement) {
        boolean listed = false;
        for (JsonNode v : requirement.path("values")) {
            listed |= v.asInt() == exitCode;
        }
        return switch (requirement.path("operator").asText()) {
            case "In" -> listed;
            case "NotIn" -> !listed;
            default -> false;
        };
    }

    private static JsonNode matchOnPodConditions(JsonNode status, JsonNode patterns) {
        for (JsonNode condition : status.path("conditions")) {
            for (JsonNode pattern : patterns) {
                if (condition.path("type").asText().equals(pattern.path("type").asText())
                        && condition
                                .path("status")
                                .asText()
                                .equals(pattern.path("status").asText())) {
                    return condition;
                }
            }
        }
        return null;
    }
}
