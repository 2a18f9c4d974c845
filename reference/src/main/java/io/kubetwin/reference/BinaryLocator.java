package io.kubetwin.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds what one of the {@code ci/reference/build-*.sh} scripts built: a system property, else an environment
 * variable, else the last line the script prints with {@code --print-only} (it never builds in that mode); and the
 * files of this repository the targets read ({@code ci/reference/...}).
 */
public final class BinaryLocator {

    /** Either the path or the reason it is unavailable. */
    public record Found(Path dir, String reason) {}

    private BinaryLocator() {}

    /**
     * A directory of executables.
     *
     * @param property system property naming the directory
     * @param env      environment variable naming it
     * @param script   the build script, relative to the repository root
     * @param names    the executables the directory must hold
     */
    public static Found locate(String property, String env, String script, List<String> names) {
        var found = configuredOrPrinted(property, env, script);
        if (found.dir() == null) {
            return found;
        }
        return complete(found.dir(), names)
                ? found
                : new Found(
                        null, found.dir() + " lacks " + String.join(", ", names) + " (" + env + ", " + script + ")");
    }

    /** One executable file, named by the property, the environment variable or the script's output. */
    public static Found locateFile(String property, String env, String script) {
        var found = configuredOrPrinted(property, env, script);
        if (found.dir() == null || Files.isExecutable(found.dir())) {
            return found;
        }
        return new Found(null, found.dir() + " is not an executable (" + env + ", " + script + ")");
    }

    private static Found configuredOrPrinted(String property, String env, String script) {
        var configured = System.getProperty(property);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(env);
        }
        if (configured != null && !configured.isBlank()) {
            return new Found(Path.of(configured), null);
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
            return new Found(Path.of(lines[lines.length - 1].trim()), null);
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
    public static Path repoFile(String relative) {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
