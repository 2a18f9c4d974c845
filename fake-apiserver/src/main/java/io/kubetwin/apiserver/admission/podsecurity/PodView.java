package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the Pod Security Standards checks read of a pod or pod template: its metadata annotations and the
 * security-relevant parts of its spec, decoded with Go's rules (an absent or null pointer field is null, an
 * absent or null bool is false).
 *
 * @param containers init containers, then containers, then ephemeral containers (policy/visitor.go order)
 * @param securityContext the pod's securityContext, null when unset
 * @param osName {@code spec.os.name}, null when unset
 */
public record PodView(
        Map<String, String> annotations,
        boolean hostNetwork,
        boolean hostPID,
        boolean hostIPC,
        SecurityContext securityContext,
        List<Container> containers,
        List<Volume> volumes,
        String osName,
        String runtimeClassName) {

    /** A container (or ephemeral container) of the pod. */
    public record Container(
            String name,
            String image,
            List<Integer> hostPorts,
            List<String> probeHosts,
            SecurityContext securityContext) {}

    /**
     * A pod's or container's securityContext; fields the one kind does not have stay null. Profile types are
     * null when the profile is unset and "" when the profile is set without a type.
     */
    public record SecurityContext(
            Boolean privileged,
            Boolean allowPrivilegeEscalation,
            Boolean runAsNonRoot,
            Long runAsUser,
            String procMount,
            String seccompProfileType,
            String appArmorProfileType,
            SeLinuxOptions seLinuxOptions,
            Capabilities capabilities,
            Boolean windowsHostProcess,
            List<String> sysctls) {}

    public record SeLinuxOptions(String user, String role, String type) {}

    public record Capabilities(List<String> add, List<String> drop) {}

    /** A volume by its name and the source fields it sets. */
    public record Volume(String name, Set<String> sources) {}

    /** The view of a pod's (or template's) {@code metadata} and {@code spec}; either may be missing. */
    public static PodView of(JsonNode metadata, JsonNode spec) {
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode a = field(metadata, "annotations");
        if (a != null) {
            a.fields()
                    .forEachRemaining(
                            e -> annotations.put(e.getKey(), e.getValue().asText("")));
        }
        List<Container> containers = new ArrayList<>();
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : elements(spec, list)) {
                containers.add(container(c));
            }
        }
        List<Volume> volumes = new ArrayList<>();
        for (JsonNode v : elements(spec, "volumes")) {
            Set<String> sources = new LinkedHashSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!"name".equals(e.getKey()) && !e.getValue().isNull()) {
                    sources.add(e.getKey());
                }
            }
            volumes.add(new Volume(text(v, "name"), Set.copyOf(sources)));
        }
        return new PodView(
                Map.copyOf(annotations),
                bool(spec, "hostNetwork"),
                bool(spec, "hostPID"),
                bool(spec, "hostIPC"),
                securityContext(field(spec, "securityContext")),
                List.copyOf(containers),
                List.copyOf(volumes),
                field(field(spec, "os"), "name") == null ? null : text(field(spec, "os"), "name"),
                field(spec, "runtimeClassName") == null ? null : text(spec, "runtimeClassName"));
    }

    private static Container container(JsonNode c) {
        List<Integer> hostPorts = new ArrayList<>();
        for (JsonNode p : elements(c, "ports")) {
            hostPorts.add(p.path("hostPort").asInt(0));
        }
        List<String> hosts = new ArrayList<>();
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
            handlerHosts(field(c, probe), hosts);
        }
        JsonNode lifecycle = field(c, "lifecycle");
        handlerHosts(field(lifecycle, "postStart"), hosts);
        handlerHosts(field(lifecycle, "preStop"), hosts);
        return new Container(
                text(c, "name"),
                text(c, "image"),
                List.copyOf(hostPorts),
                List.copyOf(hosts),
                securityContext(field(c, "securityContext")));
    }

    /** The non-empty httpGet and tcpSocket hosts of a probe or lifecycle handler. */
    private static void handlerHosts(JsonNode handler, List<String> hosts) {
        for (String kind : new String[] {"httpGet", "tcpSocket"}) {
            String host = text(field(handler, kind), "host");
            if (!host.isEmpty()) {
                hosts.add(host);
            }
        }
    }

    private static SecurityContext securityContext(JsonNode sc) {
        if (sc == null) {
            return null;
        }
        JsonNode se = field(sc, "seLinuxOptions");
        JsonNode caps = field(sc, "capabilities");
        JsonNode sysctls = field(sc, "sysctls");
        List<String> sysctlNames = new ArrayList<>();
        if (sysctls != null) {
            sysctls.forEach(s -> sysctlNames.add(text(s, "name")));
        }
        return new SecurityContext(
                optionalBool(sc, "privileged"),
                optionalBool(sc, "allowPrivilegeEscalation"),
                optionalBool(sc, "runAsNonRoot"),
                field(sc, "runAsUser") == null ? null : sc.get("runAsUser").asLong(),
                field(sc, "procMount") == null ? null : text(sc, "procMount"),
                field(sc, "seccompProfile") == null ? null : text(sc.get("seccompProfile"), "type"),
                field(sc, "appArmorProfile") == null ? null : text(sc.get("appArmorProfile"), "type"),
                se == null ? null : new SeLinuxOptions(text(se, "user"), text(se, "role"), text(se, "type")),
                caps == null ? null : new Capabilities(strings(caps, "add"), strings(caps, "drop")),
                optionalBool(field(sc, "windowsOptions"), "hostProcess"),
                List.copyOf(sysctlNames));
    }

    /** The field's value, or null when the node or the field is missing or null (a nil pointer in Go). */
    static JsonNode field(JsonNode node, String name) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    private static Iterable<JsonNode> elements(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v != null && v.isArray() ? v : List.of();
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null ? "" : v.asText("");
    }

    private static boolean bool(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v != null && v.asBoolean(false);
    }

    private static Boolean optionalBool(JsonNode node, String name) {
        JsonNode v = field(node, name);
        return v == null ? null : v.asBoolean(false);
    }

    private static List<String> strings(JsonNode node, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : elements(node, name)) {
            out.add(s.asText(""));
        }
        return List.copyOf(out);
    }
}
