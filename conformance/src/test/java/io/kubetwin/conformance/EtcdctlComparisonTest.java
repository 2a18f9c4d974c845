package io.kubetwin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdctlComparisonTest {
    @TempDir
    Path dir;

    @Test
    void countsTheSameAndNamesTheDifferentCommands() throws Exception {
        Path file = dir.resolve("etcdctl-comparison.md");
        Files.writeString(
                file,
                "# etcdctl v3.6.4: fake etcd against etcd v3.6.4\n\n## put (same)\netcd: exit 0\n"
                        + "## get --prefix (same)\n## compact (DIFFERENT)\nfake: exit 1\n");
        assertEquals(
                "etcdctl v3.6.4 on the fake etcd and on etcd v3.6.4: 3 commands, 2 with the same output, 1 different"
                        + " (compact) (" + file + ")",
                EtcdctlComparison.summary(file));
    }

    @Test
    void saysWhenTheComparisonDidNotRun() {
        Path missing = dir.resolve("absent.md");
        assertEquals(
                "etcdctl comparison of the fake etcd with etcd v3.6.4: not run in this build (no " + missing
                        + "; fake-etcd's EtcdctlConformanceTest writes it when etcdctl and etcd are available)",
                EtcdctlComparison.summary(missing));
    }
}
