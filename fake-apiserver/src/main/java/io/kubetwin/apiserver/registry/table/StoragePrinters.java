package io.kubetwin.apiserver.registry.table;

import static io.kubetwin.apiserver.registry.table.Cells.age;
import static io.kubetwin.apiserver.registry.table.Cells.name;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The Table printers of persistent volumes, claims and resource quotas (pkg/printers/internalversion/printers.go). */
final class StoragePrinters {
    private StoragePrinters() {}

    static final TableConvertor PERSISTENT_VOLUMES =
            new TableConvertor(ColumnSets.get("persistentvolumes"), (o, now) -> {
                JsonNode spec = o.path("spec");
                JsonNode claim = spec.get("claimRef");
                String claimRef = claim == null || claim.isNull()
                        ? ""
                        : claim.path("namespace").asText("") + "/"
                                + claim.path("name").asText("");
                return List.of(
                        name(o),
                        spec.path("capacity").path("storage").asText("0"),
                        accessModes(spec.path("accessModes")),
                        spec.path("persistentVolumeReclaimPolicy").asText(""),
                        phase(o),
                        claimRef,
                        storageClass(o),
                        spec.path("volumeAttributesClassName").asText("<unset>"),
                        o.path("status").path("reason").asText(""),
                        age(o, now),
                        spec.path("volumeMode").asText("<unset>"));
            });

    static final TableConvertor PERSISTENT_VOLUME_CLAIMS =
            new TableConvertor(ColumnSets.get("persistentvolumeclaims"), (o, now) -> {
                JsonNode spec = o.path("spec");
                String volume = spec.path("volumeName").asText("");
                return List.of(
                        name(o),
                        phase(o),
                        volume,
                        volume.isEmpty()
                                ? ""
                                : o.path("status")
                                        .path("capacity")
                                        .path("storage")
                                        .asText("0"),
                        volume.isEmpty() ? "" : accessModes(o.path("status").path("accessModes")),
                        storageClass(o),
                        spec.path("volumeAttributesClassName").asText("<unset>"),
                        age(o, now),
                        spec.path("volumeMode").asText("<unset>"));
            });

    static final TableConvertor RESOURCE_QUOTAS = new TableConvertor(ColumnSets.get("resourcequotas"), (o, now) -> {
        JsonNode hard = o.path("status").path("hard");
        JsonNode used = o.path("status").path("used");
        TreeSet<String> resources = new TreeSet<>();
        hard.fieldNames().forEachRemaining(resources::add);
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (String r : resources) {
            String cell =
                    r + ": " + used.path(r).asText("0") + "/" + hard.path(r).asText("0");
            String[] pieces = r.split("\\.");
            (pieces.length > 1 && pieces[0].equals("limits") ? limits : requests).add(cell);
        }
        return List.of(name(o), String.join(", ", requests), String.join(", ", limits), age(o, now));
    });

    private static String phase(ObjectNode o) {
        return o.path("metadata").hasNonNull("deletionTimestamp")
                ? "Terminating"
                : o.path("status").path("phase").asText("");
    }

    /** GetPersistentVolume(Claim)Class: the beta annotation, else spec.storageClassName. */
    private static String storageClass(ObjectNode o) {
        JsonNode annotation = o.path("metadata").path("annotations").get("volume.beta.kubernetes.io/storage-class");
        if (annotation != null) {
            return annotation.asText("");
        }
        return o.path("spec").path("storageClassName").asText("");
    }

    /** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
    private static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        String[][] known = {
            {"ReadWriteOnce", "RWO"}, {"ReadOnlyMany", "ROX"}, {"ReadWriteMany", "RWX"}, {"ReadWriteOncePod", "RWOP"}
        };
        for (String[] k : known) {
            for (JsonNode m : modes) {
                if (m.asText().equals(k[0])) {
                    out.add(k[1]);
                    break;
                }
            }
        }
        return String.join(",", out);
    }
}
