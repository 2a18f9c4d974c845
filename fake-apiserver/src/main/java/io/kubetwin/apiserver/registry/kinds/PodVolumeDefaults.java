package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The core/v1 defaults of pod volumes and field references (pkg/apis/core/v1/defaults.go): a volume
 * without a source is an emptyDir; secret, configMap, downwardAPI and projected volumes get mode 0644;
 * token projections one hour; hostPath the unset type ""; field selectors apiVersion v1. With the key
 * orders of those structs, so that added defaults land where the Go structs put them.
 */
final class PodVolumeDefaults {
    private PodVolumeDefaults() {}

    /** v1.SecretVolumeSourceDefaultMode and its siblings: 0644. */
    static final int DEFAULT_MODE = 0644;
    /** SetDefaults_ServiceAccountTokenProjection: one hour. */
    static final long TOKEN_EXPIRATION_SECONDS = 3600;

    /** Every volume source field of core/v1 VolumeSource; a volume with none of them set becomes an emptyDir. */
    private static final List<String> SOURCES = List.of(
            "hostPath",
            "emptyDir",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "gitRepo",
            "secret",
            "nfs",
            "iscsi",
            "glusterfs",
            "persistentVolumeClaim",
            "rbd",
            "flexVolume",
            "cinder",
            "cephfs",
            "flocker",
            "downwardAPI",
            "fc",
            "azureFile",
            "configMap",
            "vsphereVolume",
            "quobyte",
            "azureDisk",
            "photonPersistentDisk",
            "projected",
            "portworxVolume",
            "scaleIO",
            "storageos",
            "csi",
            "ephemeral",
            "image");

    static void apply(ObjectNode spec) {
        for (JsonNode v : spec.path("volumes")) {
            if (v instanceof ObjectNode volume) {
                volume(volume);
            }
        }
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("env")) {
                    fieldRef(e.path("valueFrom").get("fieldRef"));
                }
            }
        }
    }

    private static void volume(ObjectNode volume) {
        if (SOURCES.stream().noneMatch(s -> set(volume, s))) {
            volume.putObject("emptyDir");
            return;
        }
        if (volume.get("hostPath") instanceof ObjectNode hostPath && !set(hostPath, "type")) {
            hostPath.put("type", "");
        }
        for (String source : new String[] {"secret", "configMap", "downwardAPI", "projected"}) {
            if (volume.get(source) instanceof ObjectNode s && !set(s, "defaultMode")) {
                s.put("defaultMode", DEFAULT_MODE);
            }
        }
        downwardItems(volume.path("downwardAPI").path("items"));
        for (JsonNode p : volume.path("projected").path("sources")) {
            if (p.get("serviceAccountToken") instanceof ObjectNode token && !set(token, "expirationSeconds")) {
                token.put("expirationSeconds", TOKEN_EXPIRATION_SECONDS);
            }
            downwardItems(p.path("downwardAPI").path("items"));
        }
    }

    private static void downwardItems(JsonNode items) {
        for (JsonNode item : items) {
            fieldRef(item.get("fieldRef"));
        }
    }

    private static void fieldRef(JsonNode ref) {
        if (ref instanceof ObjectNode o && o.path("apiVersion").asText("").isEmpty()) {
            o.put("apiVersion", "v1");
        }
    }

    private static boolean set(JsonNode parent, String field) {
        JsonNode f = parent.get(field);
        return f != null && !f.isNull();
    }

    /** Key orders of the structs the defaults touch, by path below {@code spec}. */
    static Map<String, List<String>> fieldOrder() {
        Map<String, List<String>> m = new HashMap<>();
        List<String> fieldRef = List.of("apiVersion", "fieldPath");
        List<String> downwardItem = List.of("path", "fieldRef", "resourceFieldRef", "mode");
        m.put("spec.volumes.hostPath", List.of("path", "type"));
        m.put("spec.volumes.secret", List.of("secretName", "items", "defaultMode", "optional"));
        m.put("spec.volumes.configMap", List.of("name", "items", "defaultMode", "optional"));
        m.put("spec.volumes.downwardAPI", List.of("items", "defaultMode"));
        m.put("spec.volumes.downwardAPI.items", downwardItem);
        m.put("spec.volumes.downwardAPI.items.fieldRef", fieldRef);
        m.put("spec.volumes.projected", List.of("sources", "defaultMode"));
        m.put("spec.volumes.projected.sources.serviceAccountToken", List.of("audience", "expirationSeconds", "path"));
        m.put("spec.volumes.projected.sources.downwardAPI.items", downwardItem);
        m.put("spec.volumes.projected.sources.downwardAPI.items.fieldRef", fieldRef);
        for (String c : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            m.put("spec." + c + ".env.valueFrom.fieldRef", fieldRef);
        }
        return m;
    }
}
