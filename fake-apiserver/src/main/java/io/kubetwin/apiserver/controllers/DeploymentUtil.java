package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pure part of the deployment controller, on Deployments and ReplicaSets as stored (JSON): revisions and their
 * history, the annotations copied to and from ReplicaSets, the fenceposts (maxSurge, maxUnavailable), the new
 * ReplicaSet's size, the proportions of a scaling event, the conditions and the orders ReplicaSets are sorted in.
 * Mirrors pkg/controller/deployment/util/deployment_util.go and the ReplicaSet sorts of
 * pkg/controller/controller_utils.go (v1.34.4). A ReplicaSet argument may be null where Go's may be nil.
 */
final class DeploymentUtil {
    static final String HASH_LABEL = "pod-template-hash";
    static final String REVISION = "deployment.kubernetes.io/revision";
    static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
    static final String DESIRED = "deployment.kubernetes.io/desired-replicas";
    static final String MAX = "deployment.kubernetes.io/max-replicas";
    static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
    /** maxRevHistoryLengthInChars of sync.go. */
    static final int MAX_REVISION_HISTORY_CHARS = 2000;

    static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    static final String FAILED_RS_CREATE = "ReplicaSetCreateError";
    static final String NEW_REPLICA_SET = "NewReplicaSetCreated";
    static final String FOUND_NEW_RS = "FoundNewReplicaSet";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";
    static final String ROLLBACK_REVISION_NOT_FOUND = "DeploymentRollbackRevisionNotFound";
    static final String ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged";
    static final String ROLLBACK_DONE = "DeploymentRollback";

    /** annotationsToSkip: never copied from a Deployment to its ReplicaSets, nor back on a rollback. */
    static final Set<String> SKIPPED_ANNOTATIONS = Set.of(
            "kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED, MAX, ROLLBACK_TO);

    private DeploymentUtil() {}

    // ---- fields

    /** spec.replicas (defaulted to 1 by the API, so present on every stored object). */
    static int replicas(JsonNode object) {
        return object == null ? 0 : object.path("spec").path("replicas").asInt(1);
    }

    static int status(JsonNode object, String field) {
        return object == null ? 0 : object.path("status").path(field).asInt();
    }

    static ObjectNode annotations(ObjectNode object) {
        ObjectNode meta = object.has("metadata") ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
        return meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
    }

    static String annotation(JsonNode object, String key) {
        JsonNode v = object.path("metadata").path("annotations").get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    static boolean isRollingUpdate(JsonNode d) {
        return "RollingUpdate"
                .equals(d.path("spec").path("strategy").path("type").asText());
    }

    static boolean hasProgressDeadline(JsonNode d) {
        JsonNode p = d.path("spec").path("progressDeadlineSeconds");
        return p.isNumber() && p.asLong() != Integer.MAX_VALUE;
    }

    static boolean hasRevisionHistoryLimit(JsonNode d) {
        JsonNode l = d.path("spec").path("revisionHistoryLimit");
        return l.isNumber() && l.asLong() != Integer.MAX_VALUE;
    }

    // ---- revisions

    /** Revision: the revision annotation as int64; absent is 0, unparsable is null (an error in Go). */
    static Long revision(JsonNode object) {
        String v = annotation(object, REVISION);
        if (v == null) {
            return 0L;
        }
        return parseInt64(v);
    }

    /** strconv.ParseInt(s, 10, 64): an optional sign, then decimal digits. */
    static Long parseInt64(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** MaxRevision: the highest parsable revision, 0 without one. */
    static long maxRevision(List<ObjectNode> sets) {
        long max = 0;
        for (ObjectNode rs : sets) {
            Long v = rs == null ? null : revision(rs);
            if (v != null && v > max) {
                max = v;
            }
        }
        return max;
    }

    /** LastRevision: the second highest revision (what a rollback without a revision goes back to). */
    static long lastRevision(List<ObjectNode> sets) {
        long max = 0;
        long second = 0;
        for (ObjectNode rs : sets) {
            Long v = rs == null ? null : revision(rs);
            if (v == null) {
                continue;
            }
            if (v >= max) {
                second = max;
                max = v;
            } else if (v > second) {
                second = v;
            }
        }
        return second;
    }

    /** SetDeploymentRevision: true when the Deployment's revision annotation changed. */
    static boolean setDeploymentRevision(ObjectNode d, String revision) {
        ObjectNode a = annotations(d);
        if (!revision.equals(a.path(REVISION).asText(""))) {
            a.put(REVISION, revision);
            return true;
        }
        return false;
    }

    /**
     * SetNewReplicaSetAnnotations: the Deployment's annotations copied, the revision raised to {@code newRevision}
     * (the one it replaces appended to the revision history, which stays within {@code MAX_REVISION_HISTORY_CHARS}
     * by dropping the oldest entries), and for a ReplicaSet being created the desired and max replicas.
     */
    static boolean setNewReplicaSetAnnotations(JsonNode d, ObjectNode rs, String newRevision, boolean exists) {
        boolean changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
        ObjectNode a = annotations(rs);
        boolean ok = a.has(REVISION);
        String oldRevision = a.path(REVISION).asText("");
        long oldInt;
        Long parsed = parseInt64(oldRevision);
        if (parsed == null) {
            if (!oldRevision.isEmpty()) {
                return false;
            }
            oldInt = 0;
        } else {
            oldInt = parsed;
        }
        Long newInt = parseInt64(newRevision);
        if (newInt == null) {
            return false;
        }
        if (oldInt < newInt) {
            a.put(REVISION, newRevision);
            changed = true;
        }
        if (ok && oldInt < newInt) {
            String history = a.path(REVISION_HISTORY).asText("");
            List<String> old = new ArrayList<>(Arrays.asList(history.split(",", -1)));
            if (old.get(0).isEmpty()) {
                a.put(REVISION_HISTORY, oldRevision);
            } else {
                int total = history.length() + oldRevision.length() + 1;
                int start = 0;
                while (total > MAX_REVISION_HISTORY_CHARS && start < old.size()) {
                    total = total - old.get(start).length() - 1;
                    start++;
                }
                if (total <= MAX_REVISION_HISTORY_CHARS) {
                    List<String> kept = new ArrayList<>(old.subList(start, old.size()));
                    kept.add(oldRevision);
                    a.put(REVISION_HISTORY, String.join(",", kept));
                }
            }
        }
        if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) {
            changed = true;
        }
        return changed;
    }

    /** copyDeploymentAnnotationsToReplicaSet: every annotation not skipped, overwriting a different value. */
    static boolean copyDeploymentAnnotationsToReplicaSet(JsonNode d, ObjectNode rs) {
        boolean changed = false;
        ObjectNode a = annotations(rs);
        var fields = d.path("metadata").path("annotations").fields();
        while (fields.hasNext()) {
            var e = fields.next();
            if (SKIPPED_ANNOTATIONS.contains(e.getKey())
                    || a.has(e.getKey()) && a.get(e.getKey()).equals(e.getValue())) {
                continue;
            }
            a.set(e.getKey(), e.getValue().deepCopy());
            changed = true;
        }
        return changed;
    }

    /** SetDeploymentAnnotationsTo: a rollback keeps the Deployment's skipped annotations and takes the rest from the ReplicaSet. */
    static void setDeploymentAnnotationsTo(ObjectNode d, JsonNode rs) {
        ObjectNode a = annotations(d);
        ObjectNode kept = JsonNodeFactory.instance.objectNode();
        a.fields().forEachRemaining(e -> {
            if (SKIPPED_ANNOTATIONS.contains(e.getKey())) {
                kept.set(e.getKey(), e.getValue());
            }
        });
        rs.path("metadata").path("annotations").fields().forEachRemaining(e -> {
            if (!SKIPPED_ANNOTATIONS.contains(e.getKey())) {
                kept.set(e.getKey(), e.getValue().deepCopy());
            }
        });
        a.removeAll();
        a.setAll(kept);
    }

    /** SetFromReplicaSetTemplate: the Deployment's template becomes the ReplicaSet's, without the hash label. */
    static void setFromReplicaSetTemplate(ObjectNode d, JsonNode rs) {
        ((ObjectNode) d.get("spec")).set("template", withoutHash(rs.path("spec").path("template")));
    }

    /** getNonNegativeInt32FromAnnotation (strconv.ParseUint, at most MaxInt32); null when absent or invalid. */
    static Integer nonNegativeAnnotation(JsonNode rs, String key) {
        String v = rs == null ? null : annotation(rs, key);
        if (v == null || !v.matches("[0-9]+") || v.length() > 10) {
            return null;
        }
        long value = Long.parseLong(v);
        return value > Integer.MAX_VALUE ? null : (int) value;
    }

    /** SetReplicasAnnotations: true when desired-replicas or max-replicas changed. */
    static boolean setReplicasAnnotations(ObjectNode rs, int desired, int max) {
        boolean updated = false;
        ObjectNode a = annotations(rs);
        if (!Integer.toString(desired).equals(a.path(DESIRED).asText(null))) {
            a.put(DESIRED, Integer.toString(desired));
            updated = true;
        }
        if (!Integer.toString(max).equals(a.path(MAX).asText(null))) {
            a.put(MAX, Integer.toString(max));
            updated = true;
        }
        return updated;
    }

    static boolean replicasAnnotationsNeedUpdate(JsonNode rs, int desired, int max) {
        return !Integer.toString(desired).equals(annotation(rs, DESIRED))
                || !Integer.toString(max).equals(annotation(rs, MAX));
    }

    // ---- fenceposts and sizes

    /** intstr.GetScaledValueFromIntOrPercent: an int as is, {@code N%} of total rounded up or down. */
    static int scaledValue(JsonNode value, int total, boolean roundUp) {
        if (value.isNumber()) {
            return value.asInt();
        }
        String text = value.asText();
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        double v = (double) percent * total / 100.0;
        return (int) (roundUp ? Math.ceil(v) : Math.floor(v));
    }

    /** ResolveFenceposts: {maxSurge rounded up, maxUnavailable rounded down}, 0 when unset, never both 0. */
    static int[] resolveFenceposts(JsonNode maxSurge, JsonNode maxUnavailable, int desired) {
        int surge = maxSurge == null || maxSurge.isMissingNode() || maxSurge.isNull()
                ? 0
                : scaledValue(maxSurge, desired, true);
        int unavailable = maxUnavailable == null || maxUnavailable.isMissingNode() || maxUnavailable.isNull()
                ? 0
                : scaledValue(maxUnavailable, desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }

    private static int[] fenceposts(JsonNode d) {
        JsonNode ru = d.path("spec").path("strategy").path("rollingUpdate");
        return resolveFenceposts(ru.path("maxSurge"), ru.path("maxUnavailable"), replicas(d));
    }

    static int maxSurge(JsonNode d) {
        return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
    }

    static int maxUnavailable(JsonNode d) {
        if (!isRollingUpdate(d) || replicas(d) == 0) {
            return 0;
        }
        return Math.min(fenceposts(d)[1], replicas(d));
    }

    static int sumReplicas(List<ObjectNode> sets) {
        return sets.stream()
                .filter(Objects::nonNull)
                .mapToInt(DeploymentUtil::replicas)
                .sum();
    }

    static int sumStatus(List<ObjectNode> sets, String field) {
        return sets.stream()
                .filter(Objects::nonNull)
                .mapToInt(rs -> status(rs, field))
                .sum();
    }

    /** NewRSNewReplicas: what the new ReplicaSet may grow to now. */
    static int newRSNewReplicas(JsonNode d, List<ObjectNode> all, JsonNode newRs) {
        if (!isRollingUpdate(d)) {
            return replicas(d);
        }
        int surge = scaledValue(
                d.path("spec").path("strategy").path("rollingUpdate").path("maxSurge"), replicas(d), true);
        int current = sumReplicas(all);
        int maxTotal = replicas(d) + surge;
        if (current >= maxTotal) {
            return replicas(newRs);
        }
        int up = Math.min(maxTotal - current, replicas(d) - replicas(newRs));
        return replicas(newRs) + up;
    }

    /** IsSaturated: the ReplicaSet has, wants and makes available all of the Deployment's replicas. */
    static boolean isSaturated(JsonNode d, JsonNode rs) {
        if (rs == null) {
            return false;
        }
        String desired = annotation(rs, DESIRED);
        Long parsed = desired == null ? null : parseInt64(desired);
        if (parsed == null) {
            return false;
        }
        return replicas(rs) == replicas(d)
                && parsed.intValue() == replicas(d)
                && status(rs, "availableReplicas") == replicas(d);
    }

    /** GetReplicaSetProportion: the share of a scaling event one active ReplicaSet takes. */
    static int replicaSetProportion(JsonNode rs, JsonNode d, int toAdd, int added) {
        if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) {
            return 0;
        }
        int fraction = replicaSetFraction(rs, d);
        int allowed = toAdd - added;
        return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
    }

    /** getReplicaSetFraction: its size scaled from the max-replicas it was made for to the Deployment's new max. */
    static int replicaSetFraction(JsonNode rs, JsonNode d) {
        if (replicas(d) == 0) {
            return -replicas(rs);
        }
        int max = replicas(d) + maxSurge(d);
        Integer before = nonNegativeAnnotation(rs, MAX);
        int base;
        if (before == null || before == 0) {
            base = status(d, "replicas");
            if (base == 0) {
                return 0;
            }
        } else {
            base = before;
        }
        double size = (double) (replicas(rs) * max) / base;
        return roundHalfAwayFromZero(size) - replicas(rs);
    }

    /** Go's math.Round. */
    static int roundHalfAwayFromZero(double v) {
        return (int) (Math.signum(v) * Math.floor(Math.abs(v) + 0.5));
    }

    /**
     * One ReplicaSet's size after a scaling event; {@code evenIfSameSize}: written for its desired/max annotations
     * even when the size stays (scaleReplicaSet rather than scaleReplicaSetAndRecordEvent).
     */
    record Resize(ObjectNode rs, int size, boolean evenIfSameSize) {}

    /**
     * The decisions of sync.go's scale, in the order it writes them: the one active (or else the latest) ReplicaSet
     * takes every replica; a saturated new ReplicaSet empties the old ones; otherwise, for RollingUpdate, what the
     * active ReplicaSets lack of (or have beyond) replicas + maxSurge is shared in proportion to their sizes, from
     * the largest (newer first when growing, older first when shrinking), the rounding's leftover to the first.
     */
    static List<Resize> scaleSizes(JsonNode d, ObjectNode newRs, List<ObjectNode> oldRSs) {
        ObjectNode activeOrLatest = findActiveOrLatest(newRs, oldRSs);
        if (activeOrLatest != null) {
            return replicas(activeOrLatest) == replicas(d)
                    ? List.of()
                    : List.of(new Resize(activeOrLatest, replicas(d), false));
        }
        if (isSaturated(d, newRs)) {
            return active(oldRSs).stream().map(rs -> new Resize(rs, 0, false)).toList();
        }
        if (!isRollingUpdate(d)) {
            return List.of();
        }
        // FindActiveOrLatest sorted the old ReplicaSets newest first, in place: the order of writes when none moves
        List<ObjectNode> all = new ArrayList<>(oldRSs);
        all.sort(BY_CREATION.reversed());
        all.add(newRs);
        all = new ArrayList<>(active(all));
        int allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
        int toAdd = allowed - sumReplicas(all);
        if (toAdd > 0) {
            all.sort(BY_SIZE_NEWER);
        } else if (toAdd < 0) {
            all.sort(BY_SIZE_OLDER);
        }
        int added = 0;
        int[] sizes = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            ObjectNode rs = all.get(i);
            if (toAdd != 0) {
                int proportion = replicaSetProportion(rs, d, toAdd, added);
                sizes[i] = replicas(rs) + proportion;
                added += proportion;
            } else {
                sizes[i] = replicas(rs);
            }
        }
        List<Resize> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (i == 0 && toAdd != 0) {
                sizes[0] = Math.max(0, sizes[0] + toAdd - added);
            }
            out.add(new Resize(all.get(i), sizes[i], true));
        }
        return out;
    }

    // ---- finding ReplicaSets

    /** EqualIgnoreHash: the templates without pod-template-hash, empty labels as none (semantic equality). */
    static boolean equalIgnoreHash(JsonNode t1, JsonNode t2) {
        return withoutHash(t1).equals(withoutHash(t2));
    }

    static ObjectNode withoutHash(JsonNode template) {
        ObjectNode copy =
                template.isObject() ? (ObjectNode) template.deepCopy() : JsonNodeFactory.instance.objectNode();
        if (copy.get("metadata") instanceof ObjectNode meta) {
            if (meta.get("labels") instanceof ObjectNode labels) {
                labels.remove(HASH_LABEL);
                if (labels.isEmpty()) {
                    meta.remove("labels");
                }
            }
            if (meta.has("creationTimestamp") && meta.get("creationTimestamp").isNull()) {
                meta.remove("creationTimestamp"); // semantically the zero time, as absent
            }
            if (meta.get("annotations") instanceof ObjectNode a && a.isEmpty()) {
                meta.remove("annotations");
            }
            if (meta.isEmpty()) {
                copy.remove("metadata");
            }
        }
        return copy;
    }

    /** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
    static ObjectNode findNewReplicaSet(JsonNode d, List<ObjectNode> sets) {
        List<ObjectNode> sorted = new ArrayList<>(sets);
        sorted.sort(BY_CREATION);
        for (ObjectNode rs : sorted) {
            if (equalIgnoreHash(rs.path("spec").path("template"), d.path("spec").path("template"))) {
                return rs;
            }
        }
        return null;
    }

    /** FindActiveOrLatest: the one active ReplicaSet, or the new (else the newest) when none is; null with several. */
    static ObjectNode findActiveOrLatest(ObjectNode newRs, List<ObjectNode> oldSets) {
        if (newRs == null && oldSets.isEmpty()) {
            return null;
        }
        List<ObjectNode> old = new ArrayList<>(oldSets);
        old.sort(BY_CREATION.reversed());
        List<ObjectNode> all = new ArrayList<>(old);
        all.add(newRs);
        List<ObjectNode> active = active(all);
        return switch (active.size()) {
            case 0 -> newRs != null ? newRs : old.get(0);
            case 1 -> active.get(0);
            default -> null;
        };
    }

    /** FilterActiveReplicaSets: non-null, with replicas. */
    static List<ObjectNode> active(List<ObjectNode> sets) {
        return sets.stream().filter(rs -> rs != null && replicas(rs) > 0).toList();
    }

    // ---- sorts (controller_utils.go, deployment_util.go)

    static final Comparator<JsonNode> BY_CREATION =
            Comparator.<JsonNode, Instant>comparing(DeploymentUtil::created).thenComparing(PodTemplates::name);

    /** ReplicaSetsBySizeOlder: larger first, then older first. */
    static final Comparator<JsonNode> BY_SIZE_OLDER =
            Comparator.<JsonNode>comparingInt(rs -> -replicas(rs)).thenComparing(BY_CREATION);

    /** ReplicaSetsBySizeNewer: larger first, then newer first. */
    static final Comparator<JsonNode> BY_SIZE_NEWER =
            Comparator.<JsonNode>comparingInt(rs -> -replicas(rs)).thenComparing(BY_CREATION.reversed());

    /** ReplicaSetsByRevision: by revision, by creation when equal or unparsable. */
    static final Comparator<JsonNode> BY_REVISION = (a, b) -> {
        Long ra = revision(a);
        Long rb = revision(b);
        if (ra == null || rb == null || ra.equals(rb)) {
            return BY_CREATION.compare(a, b);
        }
        return Long.compare(ra, rb);
    };

    private static Instant created(JsonNode o) {
        String t = o.path("metadata").path("creationTimestamp").asText("");
        return t.isEmpty() ? Instant.EPOCH : Instant.parse(t);
    }

    // ---- conditions

    static ObjectNode newCondition(String type, String status, String reason, String message, Instant now) {
        String t = PodTemplates.rfc3339(now);
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("type", type);
        c.put("status", status);
        c.put("lastUpdateTime", t);
        c.put("lastTransitionTime", t);
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    /** SetDeploymentCondition: unchanged when status and reason are; else replaced and moved last. */
    static void setCondition(ObjectNode status, ObjectNode c) {
        JsonNode current = condition(status, c.path("type").asText());
        if (current != null
                && current.path("status").asText().equals(c.path("status").asText())
                && current.path("reason").asText().equals(c.path("reason").asText())) {
            return;
        }
        if (current != null
                && current.path("status").asText().equals(c.path("status").asText())) {
            c.set("lastTransitionTime", current.get("lastTransitionTime"));
        }
        removeCondition(status, c.path("type").asText());
        ArrayNode list = status.get("conditions") instanceof ArrayNode l ? l : status.putArray("conditions");
        list.add(c);
    }

    static void removeCondition(ObjectNode status, String type) {
        if (status.get("conditions") instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).path("type").asText().equals(type)) {
                    list.remove(i);
                }
            }
            if (list.isEmpty()) {
                status.remove("conditions");
            }
        }
    }

    /** ReplicaSetToDeploymentCondition. */
    static ObjectNode fromReplicaSetCondition(JsonNode c) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("type", c.get("type"));
        out.set("status", c.get("status"));
        if (c.has("lastTransitionTime")) {
            out.set("lastUpdateTime", c.get("lastTransitionTime"));
            out.set("lastTransitionTime", c.get("lastTransitionTime"));
        }
        if (c.has("reason")) {
            out.set("reason", c.get("reason"));
        }
        if (c.has("message")) {
            out.set("message", c.get("message"));
        }
        return out;
    }

    /** DeploymentComplete: every replica updated and available, the generation observed. */
    static boolean deploymentComplete(JsonNode d, JsonNode status) {
        int want = replicas(d);
        return status.path("updatedReplicas").asInt() == want
                && status.path("replicas").asInt() == want
                && status.path("availableReplicas").asInt() == want
                && status.path("observedGeneration").asLong()
                        >= d.path("metadata").path("generation").asLong();
    }

    /** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than the last status. */
    static boolean deploymentProgressing(JsonNode d, JsonNode now) {
        JsonNode old = d.path("status");
        int oldOld = old.path("replicas").asInt() - old.path("updatedReplicas").asInt();
        int newOld = now.path("replicas").asInt() - now.path("updatedReplicas").asInt();
        return now.path("updatedReplicas").asInt() > old.path("updatedReplicas").asInt()
                || newOld < oldOld
                || now.path("readyReplicas").asInt() > old.path("readyReplicas").asInt()
                || now.path("availableReplicas").asInt()
                        > old.path("availableReplicas").asInt();
    }

    /** DeploymentTimedOut: the Progressing condition's last update is older than progressDeadlineSeconds. */
    static boolean deploymentTimedOut(JsonNode d, JsonNode status, Instant now) {
        if (!hasProgressDeadline(d)) {
            return false;
        }
        JsonNode c = condition(status, "Progressing");
        if (c == null || c.path("reason").asText().equals(NEW_RS_AVAILABLE)) {
            return false;
        }
        if (c.path("reason").asText().equals(TIMED_OUT)) {
            return true;
        }
        Instant from = Instant.parse(c.path("lastUpdateTime").asText());
        return from.plusSeconds(d.path("spec").path("progressDeadlineSeconds").asLong())
                .isBefore(now);
    }
}
