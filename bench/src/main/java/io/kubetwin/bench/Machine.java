package io.kubetwin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The description of the machine a report was measured on. */
public final class Machine {
    private Machine() {}

    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("when", Instant.now().toString());
        m.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        m.put("memory", proc("/proc/meminfo", "MemTotal:"));
        m.put("cpu", proc("/proc/cpuinfo", "model name"));
        m.put("load average at start", first("/proc/loadavg"));
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                        + System.getProperty("java.vm.vendor") + ")");
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        return m;
    }

    private static String proc(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(prefix))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String first(String file) {
        try {
            return Files.readAllLines(Path.of(file)).get(0);
        } catch (IOException | IndexOutOfBoundsException e) {
            return "?";
        }
    }
}
