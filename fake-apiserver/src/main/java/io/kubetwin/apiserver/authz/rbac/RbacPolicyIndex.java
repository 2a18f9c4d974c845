package io.kubetwin.apiserver.authz.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * The RBAC objects the authorizer reads, kept in memory and updated from storage watch events; plays the role of
 * the informer listers kube-apiserver's RBAC authorizer reads (plugin/pkg/auth/authorizer/rbac/rbac.go).
 *
 * <p>Bindings are indexed by the subjects they name (a user name, a group name, or a service account's user name
 * {@code system:serviceaccount:<ns>:<name>}), so finding a user's bindings costs the same with 10 or 50,000
 * bindings in the cluster. The index only narrows the candidates: callers re-check each binding's subjects.
 *
 * <p>Thread-safety: writes are serialised under a write lock. A lookup of a user's bindings is atomic (it sees the
 * index either before or after any write, like upstream's listing of an informer cache): it reads optimistically
 * without locking and retries under the read lock only when a write overlapped. Role lookups are single map reads.
 *
 * <p>Order: upstream lists bindings from an informer cache, whose order is Go map order (effectively random per
 * request; observed on v1.34.4 as alternating between two matching bindings). This index returns bindings sorted
 * by name, the order etcd lists them in, so reasons are deterministic.
 */
public final class RbacPolicyIndex {
    private record NsName(String namespace, String name) {}

    /** One entry of the subject index: a user name or a group name. */
    private record SubjectKey(boolean group, String name) {}

    private record NsSubjectKey(String namespace, SubjectKey subject) {}

    private static final Comparator<ClusterRoleBinding> CRB_ORDER =
            Comparator.comparing(ClusterRoleBinding::name, GoText.ORDER);
    private static final Comparator<RoleBinding> RB_ORDER = Comparator.comparing(RoleBinding::name, GoText.ORDER);

    private final StampedLock lock = new StampedLock();
    private final Map<String, ClusterRole> clusterRoles = new ConcurrentHashMap<>();
    private final Map<NsName, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, ClusterRoleBinding> clusterRoleBindings = new ConcurrentHashMap<>();
    private final Map<NsName, RoleBinding> roleBindings = new ConcurrentHashMap<>();
    private final Map<SubjectKey, Set<String>> clusterRoleBindingsBySubject = new ConcurrentHashMap<>();
    private final Map<NsSubjectKey, Set<String>> roleBindingsBySubject = new ConcurrentHashMap<>();

    /**
     * Applies one storage change. Events for other resources are ignored. Called by the storage watch consumer;
     * safe to call from several threads (writes are serialised).
     */
    public void apply(WatchEvent event) {
        ObjectKey key = event.key();
        if (!Rbac.GROUP.equals(key.group())) {
            return;
        }
        boolean delete = event.type() == WatchEvent.Type.DELETED;
        switch (key.resource()) {
            case Rbac.CLUSTER_ROLES -> {
                if (delete) removeClusterRole(key.name());
                else put(ClusterRole.fromJson(event.object()));
            }
            case Rbac.ROLES -> {
                if (delete) removeRole(key.namespace(), key.name());
                else put(Role.fromJson(event.object()));
            }
            case Rbac.CLUSTER_ROLE_BINDINGS -> {
                if (delete) removeClusterRoleBinding(key.name());
                else put(ClusterRoleBinding.fromJson(event.object()));
            }
            case Rbac.ROLE_BINDINGS -> {
                if (delete) removeRoleBinding(key.namespace(), key.name());
                else put(RoleBinding.fromJson(event.object()));
            }
            default -> {}
        }
    }

    /** Adds or replaces the objects, dispatching on each one's {@code kind}; other kinds are ignored. */
    public void load(Iterable<? extends JsonNode> objects) {
        for (JsonNode object : objects) {
            switch (Json.text(object, "kind")) {
                case ClusterRole.KIND -> put(ClusterRole.fromJson(object));
                case Role.KIND -> put(Role.fromJson(object));
                case ClusterRoleBinding.KIND -> put(ClusterRoleBinding.fromJson(object));
                case RoleBinding.KIND -> put(RoleBinding.fromJson(object));
                default -> {}
            }
        }
    }

    public void put(ClusterRole role) {
        write(() -> clusterRoles.put(role.name(), role));
    }

    public void put(Role role) {
        write(() -> roles.put(new NsName(role.namespace(), role.name()), role));
    }

    public void put(ClusterRoleBinding binding) {
        write(() -> {
            ClusterRoleBinding old = clusterRoleBindings.put(binding.name(), binding);
            if (old != null) {
                keys(old.subjects(), "").forEach(k -> removeFrom(clusterRoleBindingsBySubject, k, old.name()));
            }
            keys(binding.subjects(), "").forEach(k -> addTo(clusterRoleBindingsBySubject, k, binding.name()));
        });
    }

    public void put(RoleBinding binding) {
        String ns = binding.namespace();
        write(() -> {
            RoleBinding old = roleBindings.put(new NsName(ns, binding.name()), binding);
            if (old != null) {
                keys(old.subjects(), ns)
                        .forEach(k -> removeFrom(roleBindingsBySubject, new NsSubjectKey(ns, k), old.name()));
            }
            keys(binding.subjects(), ns)
                    .forEach(k -> addTo(roleBindingsBySubject, new NsSubjectKey(ns, k), binding.name()));
        });
    }

    public void removeClusterRole(String name) {
        write(() -> clusterRoles.remove(name));
    }

    public void removeRole(String namespace, String name) {
        write(() -> roles.remove(new NsName(namespace, name)));
    }

    public void removeClusterRoleBinding(String name) {
        write(() -> {
            ClusterRoleBinding old = clusterRoleBindings.remove(name);
            if (old != null) {
                keys(old.subjects(), "").forEach(k -> removeFrom(clusterRoleBindingsBySubject, k, name));
            }
        });
    }

    public void removeRoleBinding(String namespace, String name) {
        write(() -> {
            RoleBinding old = roleBindings.remove(new NsName(namespace, name));
            if (old != null) {
                keys(old.subjects(), namespace)
                        .forEach(k -> removeFrom(roleBindingsBySubject, new NsSubjectKey(namespace, k), name));
            }
        });
    }

    private void write(Runnable change) {
        long stamp = lock.writeLock();
        try {
            change.run();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Runs a read so that it sees no write half-done: optimistically, then under the read lock if a write overlapped. */
    private <T> T read(Supplier<T> lookup) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            T result = lookup.get();
            if (lock.validate(stamp)) {
                return result;
            }
        }
        stamp = lock.readLock();
        try {
            return lookup.get();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    public Optional<ClusterRole> clusterRole(String name) {
        return Optional.ofNullable(clusterRoles.get(name));
    }

    public Optional<Role> role(String namespace, String name) {
        return Optional.ofNullable(roles.get(new NsName(namespace, name)));
    }

    /** All cluster roles, sorted by name (for aggregation). */
    public List<ClusterRole> clusterRoles() {
        List<ClusterRole> all = new ArrayList<>(clusterRoles.values());
        all.sort(Comparator.comparing(ClusterRole::name, GoText.ORDER));
        return all;
    }

    /** The cluster role bindings that may name this user (by user name or group), sorted by name. */
    public List<ClusterRoleBinding> clusterRoleBindingsFor(UserInfo user) {
        return read(() -> lookupClusterRoleBindings(user));
    }

    private List<ClusterRoleBinding> lookupClusterRoleBindings(UserInfo user) {
        Set<String> names = new LinkedHashSet<>();
        for (SubjectKey key : keys(user)) {
            Set<String> found = clusterRoleBindingsBySubject.get(key);
            if (found != null) {
                names.addAll(found);
            }
        }
        List<ClusterRoleBinding> out = new ArrayList<>(names.size());
        for (String name : names) {
            ClusterRoleBinding binding = clusterRoleBindings.get(name);
            if (binding != null) {
                out.add(binding);
            }
        }
        out.sort(CRB_ORDER);
        return out;
    }

    /** The role bindings of {@code namespace} that may name this user, sorted by name. */
    public List<RoleBinding> roleBindingsFor(UserInfo user, String namespace) {
        return read(() -> lookupRoleBindings(user, namespace));
    }

    private List<RoleBinding> lookupRoleBindings(UserInfo user, String namespace) {
        Set<String> names = new LinkedHashSet<>();
        for (SubjectKey key : keys(user)) {
            Set<String> found = roleBindingsBySubject.get(new NsSubjectKey(namespace, key));
            if (found != null) {
                names.addAll(found);
            }
        }
        List<RoleBinding> out = new ArrayList<>(names.size());
        for (String name : names) {
            RoleBinding binding = roleBindings.get(new NsName(namespace, name));
            if (binding != null) {
                out.add(binding);
            }
        }
        out.sort(RB_ORDER);
        return out;
    }

    public int clusterRoleBindingCount() {
        return clusterRoleBindings.size();
    }

    public int roleBindingCount() {
        return roleBindings.size();
    }

    /** How many subject-index entries exist (distinct subjects across all bindings); for tests and diagnostics. */
    public int subjectIndexSize() {
        return clusterRoleBindingsBySubject.size() + roleBindingsBySubject.size();
    }

    private static Set<SubjectKey> keys(UserInfo user) {
        Set<SubjectKey> keys = new LinkedHashSet<>();
        keys.add(new SubjectKey(false, user.name()));
        user.groups().forEach(g -> keys.add(new SubjectKey(true, g)));
        return keys;
    }

    /** Subjects that can never match (unknown kinds, service accounts without any namespace) are not indexed. */
    private static Set<SubjectKey> keys(List<Subject> subjects, String bindingNamespace) {
        Set<SubjectKey> keys = new LinkedHashSet<>();
        for (Subject subject : subjects) {
            if (Subject.GROUP.equals(subject.kind())) {
                keys.add(new SubjectKey(true, subject.name()));
            } else {
                subject.userName(bindingNamespace).ifPresent(u -> keys.add(new SubjectKey(false, u)));
            }
        }
        return keys;
    }

    // Called under the write lock only. The sets are concurrent so that an optimistic reader racing a write reads
    // garbage-free (if possibly stale) data before it retries.
    private static <K> void addTo(Map<K, Set<String>> index, K key, String name) {
        index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(name);
    }

    private static <K> void removeFrom(Map<K, Set<String>> index, K key, String name) {
        Set<String> set = index.get(key);
        if (set != null) {
            set.remove(name);
            if (set.isEmpty()) {
                index.remove(key);
            }
        }
    }

    /** Convenience for callers holding stored objects. */
    public static RbacPolicyIndex of(Iterable<? extends JsonNode> objects) {
        RbacPolicyIndex index = new RbacPolicyIndex();
        index.load(objects);
        return index;
    }
}
