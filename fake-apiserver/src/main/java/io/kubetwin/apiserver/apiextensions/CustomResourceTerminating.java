package io.kubetwin.apiserver.apiextensions;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.vertx.core.Future;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * crdHandler's forbidCreateAdmission (apiextensions-apiserver pkg/apiserver/customresource_handler.go):
 * while a CRD is terminating, creates of its objects are refused with 403. The {@link CrdController}
 * marks and unmarks the terminating CRDs. Thread-safe.
 */
public final class CustomResourceTerminating implements AdmissionPlugin {
    private final Set<String> terminating = ConcurrentHashMap.newKeySet();

    void mark(String group, String plural) {
        terminating.add(group + "/" + plural);
    }

    void unmark(String group, String plural) {
        terminating.remove(group + "/" + plural);
    }

    @Override
    public String name() {
        return "CustomResourceTerminating";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (a.subresource().isEmpty() && terminating.contains(a.resourceGroup() + "/" + a.resource())) {
            return Future.failedFuture(Statuses.forbiddenWithDetail(
                    a.resourceGroup(),
                    a.resource(),
                    a.name(),
                    "create not allowed while custom resource definition is terminating"));
        }
        return Future.succeededFuture();
    }
}
