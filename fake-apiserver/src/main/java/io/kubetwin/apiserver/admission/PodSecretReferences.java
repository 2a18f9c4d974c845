package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets a core/v1 pod references directly (podutil.VisitPodSecretNames in pkg/api/pod/util.go,
 * all container types): image pull secrets, then each container's envFrom and env (init, regular,
 * ephemeral), then the volumes' secret references. Empty names are skipped; references through PVCs
 * are not followed.
 */
final class PodSecretReferences {
    private PodSecretReferences() {}

    /** Volume sources whose {@code secretRef} names a secret, in the order upstream's switch tests them. */
    private static final List<String> SECRET_REF_SOURCES = List.of("cephfs", "cinder", "flexVolume");

    private static final List<String> LATER_SECRET_REF_SOURCES = List.of("scaleIO", "iscsi", "storageos");

    /** Every referenced secret name, in visiting order (with repeats). */
    static List<String> names(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        List<String> out = new ArrayList<>();
        for (JsonNode r : spec.path("imagePullSecrets")) {
            add(out, r.path("name"));
        }
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            for (JsonNode c : spec.path(list)) {
                for (JsonNode e : c.path("envFrom")) {
                    if (set(e, "secretRef")) {
                        add(out, e.path("secretRef").path("name"));
                    }
                }
                for (JsonNode e : c.path("env")) {
                    if (set(e.path("valueFrom"), "secretKeyRef")) {
                        add(out, e.path("valueFrom").path("secretKeyRef").path("name"));
                    }
                }
            }
        }
        for (JsonNode v : spec.path("volumes")) {
            volumeSecret(out, v);
        }
        return out;
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

    /** Whether any projected volume has a serviceAccountToken source. */
    static boolean hasServiceAccountTokenProjection(JsonNode pod) {
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
