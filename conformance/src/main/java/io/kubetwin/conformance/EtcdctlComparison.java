package io.kubetwin.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The etcdctl comparison of the store (fake-etcd's {@code EtcdctlConformanceTest}: the same real etcdctl v3.6.4
 * commands against the kubetwin fake etcd and against etcd v3.6.4) summarised for the conformance report, so that
 * the report shows the store's differences beside the apiserver's. The comparison runs in the fake-etcd module,
 * which the build runs first; its Markdown marks each step {@code (same)} or {@code (DIFFERENT)}.
 */
public final class EtcdctlComparison {
    private EtcdctlComparison() {}

    /** One line for the report: the counts and the different steps, or why there is no comparison. */
    public static String summary(Path file) {
        if (!Files.isRegularFile(file)) {
            return "etcdctl comparison of the fake etcd with etcd v3.6.4: not run in this build (no " + file
                    + "; fake-etcd's EtcdctlConformanceTest writes it when etcdctl and etcd are available)";
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int same = 0;
        List<String> different = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("## ")) {
                continue;
            }
            if (line.endsWith(" (same)")) {
                same++;
            } else if (line.endsWith(" (DIFFERENT)")) {
                different.add(line.substring(3, line.length() - " (DIFFERENT)".length()));
            }
        }
        return "etcdctl v3.6.4 on the fake etcd and on etcd v3.6.4: " + (same + different.size()) + " commands, "
                + same + " with the same output, " + different.size() + " different"
                + (different.isEmpty() ? "" : " (" + String.join("; ", different) + ")")
                + " (" + file.normalize() + ")";
    }
}
