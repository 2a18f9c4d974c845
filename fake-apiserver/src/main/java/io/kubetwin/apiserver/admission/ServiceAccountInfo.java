package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the ServiceAccount admission plugin reads of a core/v1 ServiceAccount.
 *
 * @param name metadata.name
 * @param automountServiceAccountToken the account's preference, null when unset
 * @param imagePullSecrets names in {@code imagePullSecrets}, in order
 * @param secrets names in {@code secrets}, in order
 * @param annotations metadata.annotations
 */
public record ServiceAccountInfo(
        String name,
        Boolean automountServiceAccountToken,
        List<String> imagePullSecrets,
        List<String> secrets,
        Map<String, String> annotations) {

    /** kubernetes.io/enforce-mountable-secrets: "true" limits the secrets the account's pods may reference. */
    public static final String ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets";

    public ServiceAccountInfo {
        imagePullSecrets = List.copyOf(imagePullSecrets);
        secrets = List.copyOf(secrets);
        annotations = Map.copyOf(annotations);
    }

    /** Reads a stored ServiceAccount object. */
    public static ServiceAccountInfo of(JsonNode sa) {
        JsonNode auto = sa.path("automountServiceAccountToken");
        Map<String, String> annotations = new TreeMap<>();
        sa.path("metadata")
                .path("annotations")
                .properties()
                .forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new ServiceAccountInfo(
                sa.path("metadata").path("name").asText(""),
                auto.isBoolean() ? auto.asBoolean() : null,
                names(sa.path("imagePullSecrets")),
                names(sa.path("secrets")),
                annotations);
    }

    /**
     * Whether the plugin checks the pod's secret references against this account (enforceMountableSecrets;
     * the plugin's global LimitSecretReferences is false in kube-apiserver). The value is read as Go's
     * strconv.ParseBool does; anything it does not accept counts as false.
     */
    public boolean enforcesMountableSecrets() {
        String v = annotations.get(ENFORCE_MOUNTABLE_SECRETS);
        return v != null && List.of("1", "t", "T", "TRUE", "true", "True").contains(v);
    }

    private static List<String> names(JsonNode refs) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : refs) {
            out.add(r.path("name").asText(""));
        }
        return out;
    }
}
