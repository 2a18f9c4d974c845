package io.kubetwin.apiserver.admission.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Quantity;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;

/**
 * The PersistentVolumeClaimResize plugin (plugin/pkg/admission/storage/persistentvolume/resize), enabled by
 * default: a claim's storage request may only grow when the claim is Bound and its StorageClass (the same
 * before and after) allows volume expansion.
 */
public final class PersistentVolumeClaimResize implements AdmissionPlugin {
    private static final ResourceKey CLASSES = new ResourceKey("storage.k8s.io", "storageclasses");

    private final Storage storage;

    public PersistentVolumeClaimResize(Storage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "PersistentVolumeClaimResize";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty()
                || !"persistentvolumeclaims".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null
                || a.oldObject() == null) {
            return Future.succeededFuture();
        }
        Quantity oldSize = size(a.oldObject());
        Quantity newSize = size(a.object());
        if (newSize.compareTo(oldSize) <= 0) {
            return Future.succeededFuture();
        }
        if (!"Bound".equals(a.oldObject().path("status").path("phase").asText())) {
            return Future.failedFuture(
                    AdmissionErrors.forbidden(a, "Only bound persistent volume claims can be expanded"));
        }
        String newClass = storageClass(a.object());
        String oldClass = storageClass(a.oldObject());
        Future<Boolean> allowed = newClass.isEmpty() || oldClass.isEmpty() || !newClass.equals(oldClass)
                ? Future.succeededFuture(false)
                : storage.get(CLASSES.object("", newClass))
                        .map(sc -> sc.path("allowVolumeExpansion").asBoolean(false))
                        .otherwise(false);
        return allowed.compose(ok -> ok
                ? Future.succeededFuture()
                : Future.failedFuture(AdmissionErrors.forbidden(
                        a,
                        "only dynamically provisioned pvc can be resized and the storageclass that provisions the "
                                + "pvc must support resize")));
    }

    private static Quantity size(JsonNode claim) {
        return Quantity.parse(claim.path("spec")
                .path("resources")
                .path("requests")
                .path("storage")
                .asText("0"));
    }

    /** GetPersistentVolumeClaimClass: the beta annotation, else the field. */
    private static String storageClass(JsonNode claim) {
        JsonNode annotation =
                claim.path("metadata").path("annotations").path(DefaultStorageClass.BETA_CLASS_ANNOTATION);
        if (annotation.isTextual()) {
            return annotation.asText();
        }
        return claim.path("spec").path("storageClassName").asText("");
    }
}
