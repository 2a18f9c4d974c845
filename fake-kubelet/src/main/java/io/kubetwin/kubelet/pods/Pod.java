package io.kubetwin.kubelet.pods;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A pod bound to the fake node, reduced to what the kubelet API shows: identity, containers and the
 * deterministic log lines each container "printed".
 */
public record Pod(String namespace, String name, String uid, List<Container> containers, boolean running) {
    public Pod {
        containers = List.copyOf(containers);
    }

    /**
     * @param logLines the container's log, one entry per line, without newlines
     * @param ports the TCP {@code containerPort}s its spec declares: what a port forward reaches
     */
    public record Container(String name, String image, List<String> logLines, List<Integer> ports) {
        public Container {
            logLines = List.copyOf(logLines);
            ports = List.copyOf(ports);
        }

        public Container(String name, String image, List<String> logLines) {
            this(name, image, logLines, List.of());
        }
    }

    /** The container declaring {@code port}, if any. */
    public Optional<Container> containerWithPort(int port) {
        return containers.stream().filter(c -> c.ports().contains(port)).findFirst();
    }

    /**
     * The pod sandbox's id as a CRI runtime would report it (64 hex digits), derived from the uid so that it is
     * deterministic.
     */
    public String sandboxId() {
        return sha256("sandbox/" + uid);
    }

    /** Lower-case hex SHA-256 of the text's UTF-8 bytes: the fake runtime's deterministic ids and digests. */
    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<Container> container(String containerName) {
        return containers.stream().filter(c -> c.name().equals(containerName)).findFirst();
    }
}
