package io.kubetwin.scenarios.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds a directory of binaries built by one of the {@code ci/reference/build-*.sh} scripts: a system property,
 * else an environment variable, else what the script prints with {@code --print-only} (it never builds in that
 * mode), and the files of this repository the targets read ({@code ci/reference/...}).
 */
final class BinaryLocator {

    /** Either the directory or the reason it is unavailable. */
    record Found(Path dir, String reason) {}

    private BinaryLocator() {}

    /**
     * @param property system property naming the directory
     * @param env      environment variable naming it
     * @param script   the build script, relative to the repository root
     * @param names    the executables the directory must hold
     */
    static Found locate(String property, String env, String script, List<String> names) {
        var configured = System.getProperty(property);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(env);
        }
        if (configured != null && !configured.isBlank()) {
            var dir = Path.of(configured);
            return complete(dir, names)
                    ? new Found(dir, null)
                    : new Found(null, env + "=" + configured + " lacks " + String.join(", ", names));
        }
        var file = repoFile(script);
        if (file == null) {
            return new Found(null, script + " not found above " + Path.of("").toAbsolutePath());
        }
        try {
            var process = new ProcessBuilder("bash", file.toString(), "--print-only")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || out.isEmpty()) {
                return new Found(null, "not built; run " + script + " or set " + env);
            }
            var lines = out.split("\n");
            var dir = Path.of(lines[lines.length - 1].trim());
            return complete(dir, names)
                    ? new Found(dir, null)
                    : new Found(null, script + " printed " + dir + " but the binaries are missing");
        } catch (IOException e) {
            return new Found(null, "cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Found(null, "interrupted");
        }
    }

    private static boolean complete(Path dir, List<String> names) {
        return names.stream().allMatch(n -> Files.isExecutable(dir.resolve(n)));
    }

    /** A file of this repository (relative to its root), found from the working directory upwards, or null. */
    static Path repoFile(String relative) {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
