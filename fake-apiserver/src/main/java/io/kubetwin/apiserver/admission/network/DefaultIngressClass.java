package io.kubetwin.apiserver.admission.network;

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
 * The DefaultIngressClass plugin (plugin/pkg/admission/network/defaultingressclass/admission.go), enabled
 * by default: a new Ingress with neither {@code spec.ingressClassName} nor the
 * {@code kubernetes.io/ingress.class} annotation gets the default IngressClass, if there is one.
 */
public final class DefaultIngressClass implements AdmissionPlugin {
    private static final ResourceKey CLASSES = new ResourceKey("networking.k8s.io", "ingressclasses");

    private final Storage storage;

    public DefaultIngressClass(Storage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "DefaultIngressClass";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!"networking.k8s.io".equals(a.resourceGroup())
                || !"ingresses".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null) {
            return Future.succeededFuture();
        }
        ObjectNode ingress = a.object();
        if (ingress.path("spec").hasNonNull("ingressClassName")
                || ingress.path("metadata").path("annotations").has("kubernetes.io/ingress.class")) {
            return Future.succeededFuture();
        }
        return DefaultClasses.newest(storage, CLASSES, List.of("ingressclass.kubernetes.io/is-default-class"))
                .map(name -> {
                    name.ifPresent(n -> {
                        ObjectNode spec = ingress.get("spec") instanceof ObjectNode s ? s : ingress.putObject("spec");
                        spec.put("ingressClassName", n);
                    });
                    return null;
                });
    }
}
