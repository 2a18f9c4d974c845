package io.kubetwin.apiserver.admission.resourcequota;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The PersistentVolumeClaim evaluator (pkg/quota/v1/evaluator/core/persistent_volume_claims.go): claims and
 * requested storage, overall and per storage class ({@code <class>.storageclass.storage.k8s.io/...}); the
 * storage charged is the larger of the request and the allocated size, rounded up to whole bytes.
 */
final class ClaimQuota implements QuotaEvaluator {
    static final String CLASS_SUFFIX = ".storageclass.storage.k8s.io/";
    private static final Set<String> RESOURCES = Set.of("persistentvolumeclaims", "requests.storage");

    @Override
    public boolean handles(AdmissionAttributes a) {
        return a.subresource().isEmpty() && (a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE);
    }

    @Override
    public Set<String> matchingResources(Collection<String> hard) {
        Set<String> out = new TreeSet<>();
        for (String r : hard) {
            if (r.equals("count/persistentvolumeclaims")
                    || RESOURCES.contains(r)
                    || r.endsWith(CLASS_SUFFIX + "persistentvolumeclaims")
                    || r.endsWith(CLASS_SUFFIX + "requests.storage")) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public Map<String, Quantity> usage(JsonNode claim, Instant now) {
        Map<String, Quantity> out = new TreeMap<>();
        out.put("persistentvolumeclaims", Quantity.of(1));
        out.put("count/persistentvolumeclaims", Quantity.of(1));
        String storageClass = storageClass(claim);
        if (!storageClass.isEmpty()) {
            out.put(storageClass + CLASS_SUFFIX + "persistentvolumeclaims", Quantity.of(1));
        }
        Quantity storage = storage(claim);
        if (storage != null) {
            out.put("requests.storage", storage);
            if (!storageClass.isEmpty()) {
                out.put(storageClass + CLASS_SUFFIX + "requests.storage", storage);
            }
        }
        return out;
    }

    /** GetPersistentVolumeClaimClass: the field, else the beta annotation. */
    static String storageClass(JsonNode claim) {
        String annotation = claim.path("metadata")
                .path("annotations")
                .path("volume.beta.kubernetes.io/storage-class")
                .asText("");
        if (!annotation.isEmpty()) {
            return annotation;
        }
        return claim.path("spec").path("storageClassName").asText("");
    }

    private static Quantity storage(JsonNode claim) {
        Quantity result = null;
        for (JsonNode q : new JsonNode[] {
            claim.path("spec").path("resources").path("requests").path("storage"),
            claim.path("status").path("allocatedResources").path("storage")
        }) {
            if (q.isTextual()) {
                Quantity parsed = Quantity.parse(q.asText());
                Quantity rounded = new Quantity(parsed.value().setScale(0, RoundingMode.CEILING), parsed.format());
                if (result == null || rounded.compareTo(result) > 0) {
                    result = rounded;
                }
            }
        }
        return result;
    }
}
