package io.kubetwin.apiserver.admission.security;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.vertx.core.Future;

/**
 * The deprecated AlwaysDeny plugin (plugin/pkg/admission/deny/admission.go): refuses every write, in the
 * mutating phase already.
 */
public final class AlwaysDeny implements AdmissionPlugin {

    @Override
    public String name() {
        return "AlwaysDeny";
    }

    @Override
    public boolean handles(Operation operation) {
        return true;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        return Future.failedFuture(AdmissionErrors.forbidden(a, "admission control is denying all modifications"));
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        return admit(a);
    }
}
