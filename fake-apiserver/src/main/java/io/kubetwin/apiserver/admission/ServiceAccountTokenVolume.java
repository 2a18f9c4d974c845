package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.UnaryOperator;

/**
 * The projected service-account token volume the ServiceAccount plugin adds to pods (mountServiceAccountToken
 * and TokenVolumeSource in plugin/pkg/admission/serviceaccount/admission.go), written as core/v1 JSON in
 * the Go structs' field order.
 */
final class ServiceAccountTokenVolume {
    private ServiceAccountTokenVolume() {}

    /** The prefix of the volume's name; the volume is {@code kube-api-access-<5 random characters>}. */
    static final String VOLUME_PREFIX = "kube-api-access-";
    /** Where every container gets the token, the cluster CA and the namespace. */
    static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour plus seven seconds. */
    static final long EXPIRATION_SECONDS = 3607;
    /** corev1.ProjectedVolumeSourceDefaultMode (0644), set explicitly by upstream (kubernetes#104464). */
    static final int DEFAULT_MODE = 0644;

    /**
     * Mounts the token volume read-only at {@link #MOUNT_PATH} in every init container and container that
     * has no mount at that path yet (ephemeral containers are left alone), and adds the volume when some
     * container got the mount. A volume whose name already starts with {@link #VOLUME_PREFIX} is reused as
     * it is, whatever its source; only the first such volume counts.
     *
     * @param spec the pod's spec, changed in place
     * @param nameGenerator names.SimpleNameGenerator: prefix to prefix plus five random characters
     */
    static void mount(ObjectNode spec, UnaryOperator<String> nameGenerator) {
        String volumeName = null;
        for (JsonNode v : spec.path("volumes")) {
            String name = v.path("name").asText("");
            if (name.startsWith(VOLUME_PREFIX)) {
                volumeName = name;
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (!hasVolume) {
            volumeName = nameGenerator.apply(VOLUME_PREFIX);
        }
        boolean needsVolume = false;
        for (String list : new String[] {"initContainers", "containers"}) {
            for (JsonNode c : spec.path(list)) {
                if (c.isObject() && !mountsAt((ObjectNode) c)) {
                    ObjectNode container = (ObjectNode) c;
                    ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode a
                            ? a
                            : container.putArray("volumeMounts");
                    mounts.addObject()
                            .put("name", volumeName)
                            .put("readOnly", true)
                            .put("mountPath", MOUNT_PATH);
                    needsVolume = true;
                }
            }
        }
        if (!hasVolume && needsVolume) {
            ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
            ObjectNode volume = volumes.addObject().put("name", volumeName);
            volume.set("projected", source());
        }
    }

    private static boolean mountsAt(ObjectNode container) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (MOUNT_PATH.equals(m.path("mountPath").asText())) {
                return true;
            }
        }
        return false;
    }

    /** TokenVolumeSource: the token (3607s), kube-root-ca.crt's ca.crt and the pod's namespace, mode 0644. */
    static ObjectNode source() {
        ObjectNode projected = JsonNodeFactory.instance.objectNode();
        ArrayNode sources = projected.putArray("sources");
        sources.addObject()
                .putObject("serviceAccountToken")
                .put("expirationSeconds", EXPIRATION_SECONDS)
                .put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        ObjectNode item = sources.addObject()
                .putObject("downwardAPI")
                .putArray("items")
                .addObject()
                .put("path", "namespace");
        item.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        projected.put("defaultMode", DEFAULT_MODE);
        return projected;
    }
}
