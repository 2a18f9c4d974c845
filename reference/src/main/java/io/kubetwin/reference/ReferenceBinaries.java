package io.kubetwin.reference;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the reference binaries (etcd, kube-apiserver, kube-controller-manager) are: {@code $KUBETWIN_REFERENCE_BIN},
 * the system property {@code kubetwin.reference.bin}, or what {@code ci/reference/build-reference.sh --print-only}
 * prints (it never builds in that mode).
 */
public record ReferenceBinaries(Path dir) {

    public Path etcd() {
        return dir.resolve("etcd");
    }

    public Path apiServer() {
        return dir.resolve("kube-apiserver");
    }

    public Path controllerManager() {
        return dir.resolve("kube-controller-manager");
    }

    /** Finds the binaries or explains why they cannot be found. */
    public static Located locate() {
        var found = BinaryLocator.locate(
                "kubetwin.reference.bin",
                "KUBETWIN_REFERENCE_BIN",
                "ci/reference/build-reference.sh",
                List.of("etcd", "kube-apiserver", "kube-controller-manager"));
        return found.dir() == null
                ? new Located(null, "reference binaries: " + found.reason())
                : new Located(new ReferenceBinaries(found.dir()), null);
    }

    /** Either the binaries or the reason they are unavailable. */
    public record Located(ReferenceBinaries binaries, String reason) {}
}
