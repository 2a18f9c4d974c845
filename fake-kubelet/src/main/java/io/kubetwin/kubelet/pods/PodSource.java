package io.kubetwin.kubelet.pods;

import java.util.List;
import java.util.Optional;

/**
 * Where the fake kubelet's pods come from (upstream: the pod manager for {@code /pods}, the container
 * runtime for {@code /runningpods/}). Implementations are thread-safe and answer without blocking.
 */
public interface PodSource {
    /** Every pod bound to this node, in a stable order. */
    List<Pod> pods();

    default List<Pod> runningPods() {
        return pods().stream().filter(Pod::running).toList();
    }

    default Optional<Pod> pod(String namespace, String name) {
        return pods().stream()
                .filter(p -> p.namespace().equals(namespace) && p.name().equals(name))
                .findFirst();
    }
}
