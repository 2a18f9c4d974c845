package io.kubetwin.kubelet.pods;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link PodSource} held in memory; pods can be added while serving. Thread-safe. */
public final class InMemoryPodSource implements PodSource {
    private final List<Pod> pods = new CopyOnWriteArrayList<>();

    public InMemoryPodSource(List<Pod> initial) {
        pods.addAll(initial);
    }

    public InMemoryPodSource() {
        this(List.of());
    }

    public void add(Pod pod) {
        pods.add(pod);
    }

    @Override
    public List<Pod> pods() {
        return List.copyOf(pods);
    }
}
