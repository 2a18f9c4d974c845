package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deployment controller's arithmetic, with the cases of upstream's sync_test.go TestScale (proportional scaling),
 * deployment_util_test.go (fenceposts, revisions) and the revision-history rule of SetNewReplicaSetAnnotations.
 */
class DeploymentUtilTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String NEW = "2016-05-20T02:00:00Z";
    private static final String OLD = "2016-05-20T01:00:00Z";
    private static final String OLDER = "2016-05-20T00:00:00Z";

    /** newDeployment of upstream's tests: RollingUpdate with the given maxSurge and maxUnavailable. */
    private static ObjectNode deployment(int replicas, String maxSurge, String maxUnavailable) {
        ObjectNode d = JSON.objectNode();
        d.putObject("metadata").put("name", "foo").put("generation", 1);
        ObjectNode spec = d.putObject("spec");
        spec.put("replicas", replicas);
        ObjectNode ru = spec.putObject("strategy").put("type", "RollingUpdate").putObject("rollingUpdate");
        setIntOrString(ru, "maxSurge", maxSurge);
        setIntOrString(ru, "maxUnavailable", maxUnavailable);
        spec.putObject("template").putObject("metadata").putObject("labels").put("foo", "bar");
        return d;
    }

    private static void setIntOrString(ObjectNode node, String field, String value) {
        if (value.endsWith("%")) {
            node.put(field, value);
        } else {
            node.put(field, Integer.parseInt(value));
        }
    }

    /** A ReplicaSet {@code name:replicas@created}, with the annotations the previous Deployment gave it. */
    private static ObjectNode rs(String spec, JsonNode before) {
        String[] nameRest = spec.split(":");
        String[] replicasCreated = nameRest[1].split("@");
        ObjectNode rs = JSON.objectNode();
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", nameRest[0]);
        meta.put("uid", nameRest[0]);
        meta.put(
                "creationTimestamp",
                switch (replicasCreated[1]) {
                    case "new" -> NEW;
                    case "old" -> OLD;
                    default -> OLDER;
                });
        rs.putObject("spec").put("replicas", Integer.parseInt(replicasCreated[0]));
        int desired = DeploymentUtil.replicas(before);
        DeploymentUtil.setReplicasAnnotations(rs, desired, desired + DeploymentUtil.maxSurge(before));
        return rs;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                // name; replicas, maxSurge; before: replicas, maxSurge; new RS; old RSs; expected sizes
                "normal scaling event: 10 -> 12; 12,0; 10,0; foo-v1:10@new; ; foo-v1=12",
                "normal scaling event: 10 -> 5; 5,0; 10,0; foo-v1:10@new; ; foo-v1=5",
                "proportional scaling: 5 -> 10; 10,0; 5,0; foo-v2:2@new; foo-v1:3@old; foo-v2=4 foo-v1=6",
                "proportional scaling: 5 -> 3; 3,0; 5,0; foo-v2:2@new; foo-v1:3@old; foo-v2=1 foo-v1=2",
                "proportional scaling: 9 -> 4; 4,0; 9,0; foo-v2:8@new; foo-v1:1@old; foo-v2=4 foo-v1=0",
                "proportional scaling: 7 -> 10; 10,0; 7,0; foo-v3:2@new; foo-v2:3@old foo-v1:2@older;"
                        + " foo-v3=3 foo-v2=4 foo-v1=3",
                "proportional scaling: 13 -> 8; 8,0; 13,0; foo-v3:2@new; foo-v2:8@old foo-v1:3@older;"
                        + " foo-v3=1 foo-v2=5 foo-v1=2",
                "leftover distribution: 3 -> 4; 4,0; 3,0; foo-v3:1@new; foo-v2:1@old foo-v1:1@older;"
                        + " foo-v3=2 foo-v2=1 foo-v1=1",
                "leftover distribution: 3 -> 2; 2,0; 3,0; foo-v3:1@new; foo-v2:1@old foo-v1:1@older;"
                        + " foo-v3=1 foo-v2=1 foo-v1=0",
                "proportional scaling (no new rs): 4 -> 5; 5,0; 4,0; ; foo-v2:2@old foo-v1:2@older; foo-v2=3 foo-v1=2",
                "proportional scaling: 6 -> 0; 0,0; 6,0; foo-v3:3@new; foo-v2:2@old foo-v1:1@older;"
                        + " foo-v3=0 foo-v2=0 foo-v1=0",
                "proportional scaling: 0 -> 6; 6,0; 6,0; foo-v3:0@new; foo-v2:0@old foo-v1:0@older;"
                        + " foo-v3=6 foo-v2=0 foo-v1=0",
                "deployment with surge pods; 20,2; 10,2; foo-v2:6@new; foo-v1:6@old; foo-v2=11 foo-v1=11",
                "change both surge and size; 50,6; 10,3; foo-v2:5@new; foo-v1:8@old; foo-v2=22 foo-v1=34",
                "change both size and template; 14,0; 10,0; ; foo-v2:7@new foo-v1:3@old; foo-v2=10 foo-v1=4",
                // the workloads-rollouts suite: 5 -> 10 during a stalled rollout with the default 25% surge
                "stalled rollout: 5 -> 10; 10,25%; 5,25%; web-new:3@new; web-old:4@old; web-new=6 web-old=7",
            })
    void scaleSharesAScalingEventAsUpstream(
            String name, String now, String before, String newRs, String oldRSs, String expected) {
        String[] n = now.split(",");
        String[] b = before.split(",");
        ObjectNode d = deployment(Integer.parseInt(n[0]), n[1], "0");
        ObjectNode previous = deployment(Integer.parseInt(b[0]), b[1], "0");
        ObjectNode newSet = newRs == null || newRs.isBlank() ? null : rs(newRs.trim(), previous);
        List<ObjectNode> old = new ArrayList<>();
        if (oldRSs != null && !oldRSs.isBlank()) {
            for (String o : oldRSs.trim().split(" ")) {
                old.add(rs(o, previous));
            }
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        if (newSet != null) {
            sizes.put(PodTemplates.name(newSet), DeploymentUtil.replicas(newSet));
        }
        old.forEach(rs -> sizes.put(PodTemplates.name(rs), DeploymentUtil.replicas(rs)));
        for (DeploymentUtil.Resize r : DeploymentUtil.scaleSizes(d, newSet, old)) {
            sizes.put(PodTemplates.name(r.rs()), r.size());
        }
        Map<String, Integer> want = new LinkedHashMap<>();
        for (String e : expected.trim().split(" ")) {
            String[] kv = e.split("=");
            want.put(kv[0], Integer.parseInt(kv[1]));
        }
        assertEquals(want, sizes);
    }

    @ParameterizedTest(name = "maxSurge {0}, maxUnavailable {1} of {2}: {3} and {4}")
    @CsvSource({
        "25%, 25%, 10, 3, 2",
        "25%, 25%, 1, 1, 0",
        "25%, 25%, 5, 2, 1",
        "0, 0, 5, 0, 1",
        "0%, 0%, 4, 0, 1",
        "2, 50%, 5, 2, 2",
        "10%, 10%, 3, 1, 0",
    })
    void resolveFenceposts(String surge, String unavailable, int desired, int wantSurge, int wantUnavailable) {
        ObjectNode d = deployment(desired, surge, unavailable);
        assertEquals(wantSurge, DeploymentUtil.maxSurge(d));
        assertEquals(Math.min(wantUnavailable, desired), DeploymentUtil.maxUnavailable(d));
    }

    @ParameterizedTest(name = "revision {0} history {1}, then {2}")
    @CsvSource(
            delimiter = ';',
            nullValues = "-",
            value = {
                "-; -; 1; 1; -",
                "1; -; 3; 3; 1",
                "3; 1; 5; 5; 1,3",
                "5; 1,3; 4; 5; 1,3",
                "5; 1,3; 5; 5; 1,3",
            })
    void revisionHistoryRecordsTheRevisionReplaced(
            String revision, String history, String newRevision, String wantRevision, String wantHistory) {
        ObjectNode rs = JSON.objectNode();
        ObjectNode a = rs.putObject("metadata").putObject("annotations");
        if (revision != null) {
            a.put(DeploymentUtil.REVISION, revision);
        }
        if (history != null) {
            a.put(DeploymentUtil.REVISION_HISTORY, history);
        }
        DeploymentUtil.setNewReplicaSetAnnotations(deployment(1, "25%", "25%"), rs, newRevision, true);
        assertEquals(wantRevision, DeploymentUtil.annotation(rs, DeploymentUtil.REVISION));
        assertEquals(wantHistory, DeploymentUtil.annotation(rs, DeploymentUtil.REVISION_HISTORY));
        // an existing ReplicaSet's desired/max annotations are left to scaling
        assertNull(DeploymentUtil.annotation(rs, DeploymentUtil.DESIRED));
    }

    @ParameterizedTest(name = "a history of {0} characters, then revision 7: {1}")
    @CsvSource({"1998, 1998", "1999, 0"})
    void revisionHistoryStaysWithinTwoThousandCharacters(int length, int keptLength) {
        ObjectNode rs = JSON.objectNode();
        String history = "1".repeat(length);
        rs.putObject("metadata")
                .putObject("annotations")
                .put(DeploymentUtil.REVISION, "6")
                .put(DeploymentUtil.REVISION_HISTORY, history);
        DeploymentUtil.setNewReplicaSetAnnotations(deployment(1, "25%", "25%"), rs, "7", true);
        String want = keptLength == 0 ? "6" : "1".repeat(keptLength) + ",6";
        assertEquals(want, DeploymentUtil.annotation(rs, DeploymentUtil.REVISION_HISTORY));
    }

    @ParameterizedTest(name = "revisions {0}: last {1}, max {2}")
    @CsvSource({"'1 3 2', 2, 3", "'5', 0, 5", "'', 0, 0", "'4 4', 4, 4", "'x 2', 0, 2"})
    void lastAndMaxRevision(String revisions, long last, long max) {
        List<ObjectNode> sets = new ArrayList<>();
        for (String r :
                Arrays.stream(revisions.split(" ")).filter(x -> !x.isEmpty()).toList()) {
            ObjectNode rs = JSON.objectNode();
            rs.putObject("metadata").putObject("annotations").put(DeploymentUtil.REVISION, r);
            sets.add(rs);
        }
        assertEquals(last, DeploymentUtil.lastRevision(sets));
        assertEquals(max, DeploymentUtil.maxRevision(sets));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "a new annotation is copied; kubernetes.io/change-cause=b; ; true; kubernetes.io/change-cause=b",
                "a changed value overwrites; kubernetes.io/change-cause=b; kubernetes.io/change-cause=a; true;"
                        + " kubernetes.io/change-cause=b",
                "an equal value is no change; x=1; x=1; false; x=1",
                "skipped annotations stay; deployment.kubernetes.io/revision=9"
                        + " kubectl.kubernetes.io/last-applied-configuration={}; ; false; ",
            })
    void deploymentAnnotationsCopiedToReplicaSets(
            String name, String deploymentAnnotations, String rsAnnotations, boolean changed, String want) {
        ObjectNode d = deployment(1, "25%", "25%");
        annotate(d, deploymentAnnotations);
        ObjectNode rs = JSON.objectNode();
        rs.putObject("metadata");
        annotate(rs, rsAnnotations);
        assertEquals(changed, DeploymentUtil.copyDeploymentAnnotationsToReplicaSet(d, rs));
        ObjectNode expected = JSON.objectNode();
        expected.putObject("metadata");
        annotate(expected, want);
        assertEquals(DeploymentUtil.annotations(expected), DeploymentUtil.annotations(rs));
    }

    private static void annotate(ObjectNode o, String pairs) {
        ObjectNode a = DeploymentUtil.annotations(o);
        if (pairs == null) {
            return;
        }
        for (String p : pairs.trim().split(" ")) {
            if (!p.isEmpty()) {
                a.put(p.substring(0, p.indexOf('=')), p.substring(p.indexOf('=') + 1));
            }
        }
    }

    @ParameterizedTest(name = "{0} with {1} replicas and {2} available of {3}")
    @CsvSource({"'3', 3, 3, 3, true", "'3', 3, 2, 3, false", "'2', 3, 3, 3, false", "'', 3, 3, 3, false"})
    void saturated(String desiredAnnotation, int rsReplicas, int available, int replicas, boolean want) {
        ObjectNode d = deployment(replicas, "25%", "25%");
        ObjectNode rs = JSON.objectNode();
        ObjectNode meta = rs.putObject("metadata");
        if (!desiredAnnotation.isEmpty()) {
            meta.putObject("annotations").put(DeploymentUtil.DESIRED, desiredAnnotation);
        }
        rs.putObject("spec").put("replicas", rsReplicas);
        rs.putObject("status").put("availableReplicas", available);
        assertEquals(want, DeploymentUtil.isSaturated(d, rs));
        assertFalse(DeploymentUtil.isSaturated(d, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'1', 1", "'+1', -1", "'-1', -1", "'4294967296', -1", "'2147483648', -1", "'2147483647', 2147483647"})
    void replicaAnnotationsAreNonNegativeInt32(String value, int want) {
        ObjectNode rs = JSON.objectNode();
        rs.putObject("metadata").putObject("annotations").put(DeploymentUtil.MAX, value);
        Integer got = DeploymentUtil.nonNegativeAnnotation(rs, DeploymentUtil.MAX);
        assertEquals(want, got == null ? -1 : got);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2.5, 3", "-2.5, -3", "9.2857, 9", "3.5, 4", "0.49, 0"})
    void roundsAsGo(double v, int want) {
        assertEquals(want, DeploymentUtil.roundHalfAwayFromZero(v));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({"web, web-64c966cf88", "'', -64c966cf88"})
    void replicaSetNames(String deployment, String want) {
        assertEquals(want, DeploymentController.replicaSetName(deployment, "64c966cf88"));
        String longName = "a".repeat(253);
        String cut = DeploymentController.replicaSetName(longName, "64c966cf88");
        assertEquals(253, cut.length());
        assertTrue(cut.endsWith("a-64c966cf88"));
    }
}
