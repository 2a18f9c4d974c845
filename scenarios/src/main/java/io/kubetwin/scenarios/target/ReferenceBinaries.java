package io.kubetwin.scenarios.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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

    public boolean complete() {
        return Files.isExecutable(etcd()) && Files.isExecutable(apiServer()) && Files.isExecutable(controllerManager());
    }

    /** Finds the binaries or explains why they cannot be found. */
    public static Located locate() {
        var configured = System.getProperty("kubetwin.reference.bin");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("KUBETWIN_REFERENCE_BIN");
        }
        if (configured != null && !configured.isBlank()) {
            var binaries = new ReferenceBinaries(Path.of(configured));
            return binaries.complete()
                    ? new Located(binaries, null)
                    : new Located(
                            null,
                            "KUBETWIN_REFERENCE_BIN=" + configured
                                    + " lacks etcd, kube-apiserver or kube-controller-manager");
        }
        var script = findScript();
        if (script == null) {
            return new Located(
                    null,
                    "ci/reference/build-reference.sh not found above "
                            + Path.of("").toAbsolutePath());
        }
        try {
            var process = new ProcessBuilder("bash", script.toString(), "--print-only")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return new Located(
                        null,
                        "reference binaries are not built; run ci/reference/build-reference.sh"
                                + " or set KUBETWIN_REFERENCE_BIN");
            }
            var lines = out.split("\n");
            var binaries = new ReferenceBinaries(Path.of(lines[lines.length - 1].trim()));
            return binaries.complete()
                    ? new Located(binaries, null)
                    : new Located(
                            null, "build-reference.sh printed " + binaries.dir() + " but the binaries are missing");
        } catch (IOException e) {
            return new Located(null, "cannot run build-reference.sh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Located(null, "interrupted");
        }
    }

    private static Path findScript() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve("ci/reference/build-reference.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Either the binaries or the reason they are unavailable. */
    public record Located(ReferenceBinaries binaries, String reason) {}
}
