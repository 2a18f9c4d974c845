package io.kubetwin.apiserver.admission.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.vertx.core.Future;

/**
 * The StorageObjectInUseProtection plugin (plugin/pkg/admission/storage/storageobjectinuseprotection),
 * enabled by default: new PersistentVolumes, PersistentVolumeClaims and VolumeAttributesClasses (GA in
 * v1.34) get their protection finalizer, which the protection controllers remove once nothing uses them.
 */
public final class StorageObjectInUseProtection implements AdmissionPlugin {
    static final String PV = "kubernetes.io/pv-protection";
    static final String PVC = "kubernetes.io/pvc-protection";
    static final String VAC = "kubernetes.io/vac-protection";

    @Override
    public String name() {
        return "StorageObjectInUseProtection";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.subresource().isEmpty() || a.object() == null) {
            return Future.succeededFuture();
        }
        String finalizer =
                switch (a.resourceGroup() + "/" + a.resource()) {
                    case "/persistentvolumes" -> PV;
                    case "/persistentvolumeclaims" -> PVC;
                    case "storage.k8s.io/volumeattributesclasses" -> VAC;
                    default -> null;
                };
        if (finalizer != null) {
            addFinalizer(a.object(), finalizer);
        }
        return Future.succeededFuture();
    }

    private static void addFinalizer(ObjectNode object, String finalizer) {
        ObjectNode meta = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        ArrayNode finalizers = meta.get("finalizers") instanceof ArrayNode f ? f : meta.putArray("finalizers");
        for (JsonNode f : finalizers) {
            if (finalizer.equals(f.asText())) {
                return;
            }
        }
        finalizers.add(finalizer);
    }
}
