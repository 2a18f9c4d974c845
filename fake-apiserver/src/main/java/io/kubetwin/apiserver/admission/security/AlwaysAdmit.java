package io.kubetwin.apiserver.admission.security;

import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;

/** The deprecated AlwaysAdmit plugin (plugin/pkg/admission/admit/admission.go): admits everything. */
public final class AlwaysAdmit implements AdmissionPlugin {

    @Override
    public String name() {
        return "AlwaysAdmit";
    }

    @Override
    public boolean handles(Operation operation) {
        return true;
    }
}
