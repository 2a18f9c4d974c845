package io.kubetwin.kubelet.streaming;

import io.kubetwin.kubelet.pods.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fake container's commands: a small busybox-like set with deterministic output, so that {@code kubectl exec}
 * through the fake apiserver prints the same thing every time. {@code echo [-n]}, {@code hostname},
 * {@code id}, {@code whoami}, {@code pwd}, {@code true}, {@code false}, {@code env}/{@code printenv},
 * {@code ls [/]}, {@code cat /etc/hostname} ({@code cat} without a file copies stdin), {@code sleep N} (returns at
 * once) and {@code sh -c "..."}/{@code bash -c} running one such command (or {@code exit N}). A command the
 * container does not have is what docker/runc answers for a missing executable: the OCI message on stderr and
 * exit code 127 (kubectl: {@code command terminated with exit code 127}); inside {@code sh -c} it is the shell's
 * {@code sh: NAME: not found}, also 127.
 */
public final class ContainerShell {
    private static final String ROOT_LISTING = "bin\ndev\netc\nhome\nlib\nproc\nroot\nsys\ntmp\nusr\nvar\n";

    private ContainerShell() {}

    /**
     * A finished command, or one that goes on copying stdin to stdout until stdin ends ({@code copiesStdin}),
     * after which it exits 0.
     */
    public record Result(String stdout, String stderr, int exitCode, boolean copiesStdin) {
        static Result out(String stdout) {
            return new Result(stdout, "", 0, false);
        }

        static Result fail(String stderr, int code) {
            return new Result("", stderr, code, false);
        }
    }

    /** Runs {@code argv} in {@code container} of {@code pod}. */
    public static Result run(List<String> argv, Pod pod, Pod.Container container) {
        if (argv.isEmpty()) {
            return Result.fail(
                    "OCI runtime exec failed: exec failed: unable to start container process: "
                            + "exec: \"\": executable file not found in $PATH: unknown\r\n",
                    127);
        }
        Result r = builtin(argv, pod, container);
        if (r != null) {
            return r;
        }
        return Result.fail(
                "OCI runtime exec failed: exec failed: unable to start container process: exec: \"" + argv.get(0)
                        + "\": executable file not found in $PATH: unknown\r\n",
                127);
    }

    private static Result builtin(List<String> argv, Pod pod, Pod.Container container) {
        String name = argv.get(0);
        int slash = name.lastIndexOf('/');
        String command = slash >= 0 && name.startsWith("/") ? name.substring(slash + 1) : name;
        List<String> args = argv.subList(1, argv.size());
        return switch (command) {
            case "echo" -> {
                boolean newline = args.isEmpty() || !args.get(0).equals("-n");
                List<String> words = newline ? args : args.subList(1, args.size());
                yield Result.out(String.join(" ", words) + (newline ? "\n" : ""));
            }
            case "hostname" -> Result.out(pod.name() + "\n");
            case "id" -> Result.out("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
            case "whoami" -> Result.out("root\n");
            case "pwd" -> Result.out("/\n");
            case "true", "sleep" -> Result.out("");
            case "false" -> Result.fail("", 1);
            case "env", "printenv" -> Result.out(env(pod, container));
            case "ls" -> ls(args);
            case "cat" -> cat(args, pod);
            case "sh", "bash" -> shell(command, args, pod, container);
            default -> null;
        };
    }

    private static String env(Pod pod, Pod.Container container) {
        Map<String, String> env = new TreeMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOSTNAME", pod.name());
        env.put("HOME", "/root");
        env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
        StringBuilder b = new StringBuilder();
        // the runtime puts PATH and HOSTNAME first, then the rest in the order the kubelet built them
        b.append("PATH=").append(env.remove("PATH")).append('\n');
        b.append("HOSTNAME=").append(env.remove("HOSTNAME")).append('\n');
        env.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    private static Result ls(List<String> args) {
        List<String> paths = args.stream().filter(a -> !a.startsWith("-")).toList();
        if (paths.isEmpty() || paths.equals(List.of("/"))) {
            return Result.out(ROOT_LISTING);
        }
        StringBuilder err = new StringBuilder();
        for (String p : paths) {
            err.append("ls: ").append(p).append(": No such file or directory\n");
        }
        return Result.fail(err.toString(), 1);
    }

    private static Result cat(List<String> args, Pod pod) {
        if (args.isEmpty() || args.equals(List.of("-"))) {
            return new Result("", "", 0, true);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (String file : args) {
            if (file.equals("/etc/hostname")) {
                out.append(pod.name()).append('\n');
            } else {
                err.append("cat: can't open '").append(file).append("': No such file or directory\n");
            }
        }
        return new Result(out.toString(), err.toString(), err.length() == 0 ? 0 : 1, false);
    }

    /** {@code sh -c SCRIPT}: one simple command (words split on blanks, single and double quotes honoured). */
    private static Result shell(String shell, List<String> args, Pod pod, Pod.Container container) {
        if (args.size() < 2 || !args.get(0).equals("-c")) {
            // an interactive shell without a terminal reads commands from stdin: the fake echoes nothing back
            return new Result("", "", 0, false);
        }
        List<String> words = words(args.get(1));
        if (words.isEmpty()) {
            return Result.out("");
        }
        if (words.get(0).equals("exit")) {
            int code = words.size() > 1 && words.get(1).matches("\\d{1,3}") ? Integer.parseInt(words.get(1)) & 255 : 0;
            return Result.fail("", code);
        }
        Result r = builtin(words, pod, container);
        return r != null ? r : Result.fail(shell + ": " + words.get(0) + ": not found\n", 127);
    }

    static List<String> words(String script) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char c : script.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
