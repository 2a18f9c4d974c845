package io.kubetwin.apiserver.admission.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.DefaultClasses;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import java.util.List;

/**
 * The DefaultStorageClass plugin (plugin/pkg/admission/storage/storageclass/setdefault/admission.go),
 * enabled by default: a new claim that names no class (neither {@code spec.storageClassName}, even empty,
 * nor the beta annotation) gets the default StorageClass, if there is one.
 */
public final class DefaultStorageClass implements AdmissionPlugin {
    static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";
    private static final ResourceKey CLASSES = new ResourceKey("storage.k8s.io", "storageclasses");
    private static final List<String> DEFAULT_ANNOTATIONS =
            List.of("storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class");

    private final Storage storage;

    public DefaultStorageClass(Storage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "DefaultStorageClass";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty()
                || !"persistentvolumeclaims".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null) {
            return Future.succeededFuture();
        }
        ObjectNode claim = a.object();
        if (claim.path("metadata").path("annotations").has(BETA_CLASS_ANNOTATION)
                || claim.path("spec").hasNonNull("storageClassName")) {
            return Future.succeededFuture();
        }
        return DefaultClasses.newest(storage, CLASSES, DEFAULT_ANNOTATIONS).map(name -> {
            name.ifPresent(n -> {
                ObjectNode spec = claim.get("spec") instanceof ObjectNode s ? s : claim.putObject("spec");
                spec.put("storageClassName", n);
            });
            return null;
        });
    }
}
