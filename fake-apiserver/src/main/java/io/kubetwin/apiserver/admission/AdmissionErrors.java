package io.kubetwin.apiserver.admission;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;

/** The error helpers of k8s.io/apiserver/pkg/admission/errors.go, shared by the plugins. */
public final class AdmissionErrors {
    private AdmissionErrors() {}

    /**
     * admission.NewForbidden: 403 {@code <resource>[.<group>] "<name>" is forbidden: <detail>}, the name
     * being the one {@link #resourceName} picks.
     */
    public static StatusException forbidden(AdmissionAttributes a, String detail) {
        return Statuses.forbiddenWithDetail(a.resourceGroup(), a.resource(), resourceName(a), detail);
    }

    /**
     * extractResourceName: the request's name, else the object's name, else its generateName (names are
     * generated only after admission), else "Unknown".
     */
    public static String resourceName(AdmissionAttributes a) {
        if (!a.name().isEmpty()) {
            return a.name();
        }
        if (a.object() != null) {
            String n = a.object().path("metadata").path("name").asText("");
            if (!n.isEmpty()) {
                return n;
            }
            String g = a.object().path("metadata").path("generateName").asText("");
            if (!g.isEmpty()) {
                return g;
            }
        }
        return "Unknown";
    }
}
