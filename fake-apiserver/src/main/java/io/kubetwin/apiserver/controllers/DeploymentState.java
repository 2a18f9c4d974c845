package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What one sync of the deployment controller works on (the arguments syncDeployment passes down in
 * pkg/controller/deployment): the Deployment and its ReplicaSets, each replaced by the answer to its write.
 */
final class DeploymentState {
    ObjectNode d;
    final List<ObjectNode> rsList = new ArrayList<>();
    /** getAllReplicaSetsAndSyncRevision's answer: the new ReplicaSet (null if none) and all the old ones. */
    ObjectNode newRs;

    List<ObjectNode> oldRSs = new ArrayList<>();

    DeploymentState(ObjectNode d) {
        this.d = d;
    }

    /** append(oldRSs, newRS): may hold a null new ReplicaSet, as in Go. */
    List<ObjectNode> all() {
        List<ObjectNode> all = new ArrayList<>(oldRSs);
        all.add(newRs);
        return all;
    }

    void replace(ObjectNode written) {
        String uid = PodTemplates.uid(written);
        rsList.replaceAll(rs -> PodTemplates.uid(rs).equals(uid) ? written : rs);
        oldRSs.replaceAll(rs -> PodTemplates.uid(rs).equals(uid) ? written : rs);
        if (newRs != null && PodTemplates.uid(newRs).equals(uid)) {
            newRs = written;
        }
    }
}
