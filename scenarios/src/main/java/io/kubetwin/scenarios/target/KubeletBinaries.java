package io.kubetwin.scenarios.target;

import io.kubetwin.reference.BinaryLocator;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the real kubelet and its fake container runtime are: {@code $KUBETWIN_KUBELET_BIN}, the system property
 * {@code kubetwin.kubelet.bin}, or what {@code ci/reference/build-kubelet.sh --print-only} prints.
 */
public record KubeletBinaries(Path dir) {

    public Path kubelet() {
        return dir.resolve("kubelet");
    }

    public Path fakeCri() {
        return dir.resolve("fake-cri");
    }

    /** The binaries, or why they cannot be used. */
    public record Located(KubeletBinaries binaries, String reason) {}

    public static Located locate() {
        var found = BinaryLocator.locate(
                "kubetwin.kubelet.bin",
                "KUBETWIN_KUBELET_BIN",
                "ci/reference/build-kubelet.sh",
                List.of("kubelet", "fake-cri"));
        return found.dir() == null
                ? new Located(null, "the real kubelet: " + found.reason())
                : new Located(new KubeletBinaries(found.dir()), null);
    }
}
