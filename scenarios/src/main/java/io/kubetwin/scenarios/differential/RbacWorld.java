package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One random RBAC world: its own namespaces, users, groups and service accounts (all names carry the world's
 * prefix, so several worlds can share a cluster), and the objects to create, in order.
 *
 * @param aggregated names of cluster roles whose rules come from aggregation (wait for the controller)
 */
public record RbacWorld(
        String prefix,
        List<String> namespaces,
        List<String> users,
        List<String> groups,
        List<ServiceAccount> serviceAccounts,
        List<ObjectNode> objects,
        List<String> aggregated) {

    /** A service account subject. */
    public record ServiceAccount(String namespace, String name) {
        public String username() {
            return "system:serviceaccount:" + namespace + ":" + name;
        }
    }
}
