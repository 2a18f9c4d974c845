package io.kubetwin.apiserver.authz.rbac;

import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.binding;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.clusterBinding;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.group;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.request;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.rule;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.sa;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.user;
import static io.kubetwin.apiserver.authz.rbac.RbacFixtures.who;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RbacPolicyIndexTest {
    private static WatchEvent event(WatchEvent.Type type, String resource, String ns, String name, ObjectNode object) {
        return new WatchEvent(type, new ObjectKey(Rbac.GROUP, resource, ns, name), object, 1);
    }

    @Test
    void fiftyThousandBindingsAreIndexedBySubject() {
        RbacPolicyIndex index = new RbacPolicyIndex();
        index.put(ClusterRole.of("view", rule("get", "", "pods")));
        for (int i = 0; i < 50_000; i++) {
            String ns = "ns" + (i % 100);
            index.put(
                    RoleBinding.of(ns, "view-" + i, RoleRef.clusterRole("view"), user("user-" + i), sa("", "sa-" + i)));
        }
        for (int i = 0; i < 1_000; i++) {
            index.put(clusterBinding("crb-" + i, "view", group("group-" + (i % 10))));
        }
        assertEquals(50_000, index.roleBindingCount());
        assertEquals(1_000, index.clusterRoleBindingCount());
        // one entry per (namespace, user) and (namespace, service account), plus the 10 groups
        assertEquals(100_010, index.subjectIndexSize());

        UserInfo user = who("user-4242", "group-3");
        assertEquals(
                List.of("view-4242"),
                index.roleBindingsFor(user, "ns42").stream()
                        .map(RoleBinding::name)
                        .toList());
        assertEquals(List.of(), index.roleBindingsFor(user, "ns43"));
        assertEquals(100, index.clusterRoleBindingsFor(user).size());
        assertEquals("crb-103", index.clusterRoleBindingsFor(user).get(0).name());
        UserInfo serviceAccount = who("system:serviceaccount:ns7:sa-12307");
        assertEquals(
                List.of("view-12307"),
                index.roleBindingsFor(serviceAccount, "ns7").stream()
                        .map(RoleBinding::name)
                        .toList());
        assertEquals(
                Decision.allow(
                        "RBAC: allowed by RoleBinding \"view-12307/ns7\" of ClusterRole \"view\" to ServiceAccount \"sa-12307/ns7\""),
                new RbacAuthorizer(index).authorize(request(serviceAccount, "get", "", "pods", "ns7")));
    }

    @Test
    void watchEventsAddReplaceAndDelete() {
        RbacPolicyIndex index = new RbacPolicyIndex();
        RbacAuthorizer rbac = new RbacAuthorizer(index);
        UserInfo alice = who("alice", "devs");
        index.apply(event(
                WatchEvent.Type.ADDED,
                Rbac.CLUSTER_ROLES,
                "",
                "reader",
                ClusterRole.of("reader", rule("get", "", "pods")).toJson()));
        index.apply(event(
                WatchEvent.Type.ADDED,
                Rbac.ROLE_BINDINGS,
                "ns",
                "rb",
                RoleBinding.of("ns", "rb", RoleRef.clusterRole("reader"), user("alice"))
                        .toJson()));
        assertTrue(rbac.authorize(request(alice, "get", "", "pods", "ns")).isAllowed());

        // subjects change: alice no longer found, the group is
        index.apply(event(
                WatchEvent.Type.MODIFIED,
                Rbac.ROLE_BINDINGS,
                "ns",
                "rb",
                RoleBinding.of("ns", "rb", RoleRef.clusterRole("reader"), group("devs"))
                        .toJson()));
        assertEquals(
                Decision.allow("RBAC: allowed by RoleBinding \"rb/ns\" of ClusterRole \"reader\" to Group \"devs\""),
                rbac.authorize(request(alice, "get", "", "pods", "ns")));
        assertEquals(Decision.noOpinion(""), rbac.authorize(request(who("alice"), "get", "", "pods", "ns")));
        assertEquals(1, index.subjectIndexSize());

        // the role goes away: a resolution error
        index.apply(event(WatchEvent.Type.DELETED, Rbac.CLUSTER_ROLES, "", "reader", null));
        assertEquals(
                Decision.noOpinion("RBAC: clusterrole.rbac.authorization.k8s.io \"reader\" not found"),
                rbac.authorize(request(alice, "get", "", "pods", "ns")));

        index.apply(event(WatchEvent.Type.DELETED, Rbac.ROLE_BINDINGS, "ns", "rb", null));
        assertEquals(Decision.noOpinion(""), rbac.authorize(request(alice, "get", "", "pods", "ns")));
        assertEquals(0, index.subjectIndexSize());
        assertEquals(0, index.roleBindingCount());

        // other groups and resources are ignored
        index.apply(new WatchEvent(
                WatchEvent.Type.ADDED,
                new ObjectKey("", "configmaps", "ns", "rb"),
                binding("ns", "reader", user("alice")).toJson(),
                2));
        assertEquals(0, index.roleBindingCount());
    }

    @Test
    void readersAlwaysSeeABindingWhileItIsRewritten() throws Exception {
        RbacPolicyIndex index = new RbacPolicyIndex();
        index.put(ClusterRole.of("reader", rule("get", "", "pods")));
        index.put(clusterBinding("crb", "reader", user("alice")));
        RbacAuthorizer rbac = new RbacAuthorizer(index);
        UserInfo alice = who("alice", "g1", "g2");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Decision> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Decision d = rbac.authorize(request(alice, "get", "", "pods", ""));
                if (!d.isAllowed()) {
                    wrong.compareAndSet(null, d);
                }
            }
        });
        reader.start();
        try {
            // every version of the binding names alice one way or another, so every read must allow
            for (int i = 0; i < 20_000; i++) {
                Subject s =
                        switch (i % 3) {
                            case 0 -> user("alice");
                            case 1 -> group("g1");
                            default -> group("g2");
                        };
                index.put(clusterBinding("crb", "reader", s, user("other-" + i)));
                index.put(clusterBinding("noise-" + (i % 50), "reader", user("noise-" + i)));
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertEquals(null, wrong.get());
    }
}
