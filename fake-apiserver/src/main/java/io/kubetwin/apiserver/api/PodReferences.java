package io.kubetwin.apiserver.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API objects a core/v1 pod references, read as pkg/api/v1/pod/util.go visits them (all container types):
 * secrets (VisitPodSecretNames: image pull secrets, then each container's envFrom and env, then the volumes'
 * secret references), configmaps (VisitPodConfigmapNames), persistent volume claims (claim volumes and generic
 * ephemeral volumes, named POD-VOLUME) and, for mirror pods, the first kind of reference
 * (pkg/api/pod/util.go HasAPIObjectReference). Empty names are skipped. Used by ServiceAccount admission, the
 * Node authorizer's graph and NodeRestriction. Stateless.
 */
public final class PodReferences {
    private PodReferences() {}

    /** Volume sources whose {@code secretRef} names a secret, in the order upstream's switch tests them. */
    private static final List<String> SECRET_REF_SOURCES = List.of("cephfs", "cinder", "flexVolume");

    private static final List<String> LATER_SECRET_REF_SOURCES = List.of("scaleIO", "iscsi", "storageos");

    /** Every referenced secret name, in visiting order (with repeats). */
    public static List<String> secretNames(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        List<String> out = new ArrayList<>();
        for (JsonNode r : spec.path("imagePullSecrets")) {
            add(out, r.path("name"));
        }
        containerReferences(spec, "secretRef", "secretKeyRef", out);
        for (JsonNode v : spec.path("volumes")) {
            volumeSecret(out, v);
        }
        return out;
    }

    /** Each container's (init, regular, ephemeral) envFrom {@code fromField}, then env valueFrom {@code keyField}. */
    private static void containerReferences(JsonNode spec, String fromField, String keyField, List<String> out) {
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("envFrom")) {
                    if (set(e, fromField)) {
                        add(out, e.path(fromField).path("name"));
                    }
                }
                for (JsonNode e : c.path("env")) {
                    if (set(e.path("valueFrom"), keyField)) {
                        add(out, e.path("valueFrom").path(keyField).path("name"));
                    }
                }
            }
        }
    }

    /** The one source a valid volume has, tested in upstream's order (azureFile first). */
    private static void volumeSecret(List<String> out, JsonNode v) {
        if (set(v, "azureFile")) {
            add(out, v.path("azureFile").path("secretName"));
            return;
        }
        for (String source : SECRET_REF_SOURCES) {
            if (set(v, source)) {
                addRef(out, v.path(source).path("secretRef"));
                return;
            }
        }
        if (set(v, "projected")) {
            for (JsonNode s : v.path("projected").path("sources")) {
                if (set(s, "secret")) {
                    add(out, s.path("secret").path("name"));
                }
            }
            return;
        }
        if (set(v, "rbd")) {
            addRef(out, v.path("rbd").path("secretRef"));
            return;
        }
        if (set(v, "secret")) {
            add(out, v.path("secret").path("secretName"));
            return;
        }
        for (String source : LATER_SECRET_REF_SOURCES) {
            if (set(v, source)) {
                addRef(out, v.path(source).path("secretRef"));
                return;
            }
        }
        if (set(v, "csi")) {
            addRef(out, v.path("csi").path("nodePublishSecretRef"));
        }
    }

    /** Every referenced configmap name: containers' envFrom and env, then configMap and projected volumes. */
    public static List<String> configMapNames(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        List<String> out = new ArrayList<>();
        containerReferences(spec, "configMapRef", "configMapKeyRef", out);
        for (JsonNode v : spec.path("volumes")) {
            if (set(v, "projected")) {
                for (JsonNode s : v.path("projected").path("sources")) {
                    if (set(s, "configMap")) {
                        add(out, s.path("configMap").path("name"));
                    }
                }
            } else if (set(v, "configMap")) {
                add(out, v.path("configMap").path("name"));
            }
        }
        return out;
    }

    /** The claims of persistentVolumeClaim volumes and of generic ephemeral volumes ({@code <pod>-<volume>}). */
    public static List<String> claimNames(JsonNode pod) {
        List<String> out = new ArrayList<>();
        String podName = pod.path("metadata").path("name").asText("");
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (set(v, "persistentVolumeClaim")) {
                add(out, v.path("persistentVolumeClaim").path("claimName"));
            } else if (set(v, "ephemeral")) {
                out.add(podName + "-" + v.path("name").asText(""));
            }
        }
        return out;
    }

    /** Volume sources that need no API object (HasAPIObjectReference lets them pass). */
    private static final List<String> LOCAL_SOURCES = List.of(
            "awsElasticBlockStore",
            "azureDisk",
            "cephfs",
            "cinder",
            "downwardAPI",
            "emptyDir",
            "fc",
            "flexVolume",
            "flocker",
            "gcePersistentDisk",
            "gitRepo",
            "hostPath",
            "image",
            "iscsi",
            "nfs",
            "photonPersistentDisk",
            "portworxVolume",
            "quobyte",
            "rbd",
            "scaleIO",
            "storageos",
            "vsphereVolume");

    /** Volume sources that do, with the words HasAPIObjectReference names them by. */
    private static final List<Map.Entry<String, String>> API_SOURCES = List.of(
            Map.entry("configMap", "configmaps (via configmap volumes)"),
            Map.entry("secret", "secrets (via secret volumes)"),
            Map.entry("csi", "csidrivers (via CSI volumes)"),
            Map.entry("glusterfs", "endpoints (via glusterFS volumes)"),
            Map.entry("persistentVolumeClaim", "persistentvolumeclaims"),
            Map.entry("ephemeral", "persistentvolumeclaims (via ephemeral volumes)"),
            Map.entry("azureFile", "secrets (via azureFile volumes)"));

    private static final List<Map.Entry<String, String>> PROJECTED_SOURCES = List.of(
            Map.entry("configMap", "configmaps (via projected volumes)"),
            Map.entry("secret", "secrets (via projected volumes)"),
            Map.entry("serviceAccountToken", "serviceaccounts (via projected volumes)"),
            Map.entry("clusterTrustBundle", "clustertrustbundles"),
            Map.entry("podCertificate", "podcertificates"));

    /**
     * The first kind of API object a pod references, in HasAPIObjectReference's words ("serviceaccounts",
     * "secrets", "configmaps (via projected volumes)", ...), or empty when it references none. A volume or
     * projection of a kind the fake does not know counts as a reference ("" names it), as upstream refuses
     * unknown sources.
     */
    public static Optional<String> apiObjectReference(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        if (!spec.path("serviceAccountName").asText("").isEmpty()) {
            return Optional.of("serviceaccounts");
        }
        if (!secretNames(pod).isEmpty()) {
            return Optional.of("secrets");
        }
        if (!configMapNames(pod).isEmpty()) {
            return Optional.of("configmaps");
        }
        if (spec.path("resourceClaims").size() > 0) {
            return Optional.of("resourceclaims");
        }
        for (JsonNode v : spec.path("volumes")) {
            Optional<String> found = volumeReference(v);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> volumeReference(JsonNode v) {
        if (LOCAL_SOURCES.stream().anyMatch(source -> set(v, source))) {
            return Optional.empty();
        }
        for (Map.Entry<String, String> source : API_SOURCES) {
            if (set(v, source.getKey())) {
                return Optional.of(source.getValue());
            }
        }
        if (!set(v, "projected")) {
            return Optional.of("");
        }
        for (JsonNode s : v.path("projected").path("sources")) {
            for (Map.Entry<String, String> source : PROJECTED_SOURCES) {
                if (set(s, source.getKey())) {
                    return Optional.of(source.getValue());
                }
            }
            if (!set(s, "downwardAPI")) {
                return Optional.of("");
            }
        }
        return Optional.empty();
    }

    /** Whether any projected volume has a serviceAccountToken source. */
    public static boolean hasServiceAccountTokenProjection(JsonNode pod) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            for (JsonNode s : v.path("projected").path("sources")) {
                if (set(s, "serviceAccountToken")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a pointer field is set: present and not JSON null, as a non-nil Go pointer. */
    private static boolean set(JsonNode parent, String field) {
        JsonNode f = parent.get(field);
        return f != null && !f.isNull();
    }

    private static void addRef(List<String> out, JsonNode ref) {
        if (ref.isObject()) {
            add(out, ref.path("name"));
        }
    }

    private static void add(List<String> out, JsonNode name) {
        String n = name.asText("");
        if (!n.isEmpty()) {
            out.add(n);
        }
    }
}
