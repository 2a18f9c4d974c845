package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.Set;

/**
 * The DenyServiceExternalIPs plugin (plugin/pkg/admission/network/denyserviceexternalips/admission.go): no
 * new {@code spec.externalIPs} on Services (the CVE-2020-8554 man-in-the-middle); an update may keep or drop
 * the ones it had.
 */
public final class DenyServiceExternalIPs implements AdmissionPlugin {

    @Override
    public String name() {
        return "DenyServiceExternalIPs";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty()
                || !"services".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null) {
            return Future.succeededFuture();
        }
        JsonNode ips = a.object().path("spec").path("externalIPs");
        if (ips.isEmpty()) {
            return Future.succeededFuture();
        }
        Set<String> old = new HashSet<>();
        if (a.oldObject() != null) {
            a.oldObject().path("spec").path("externalIPs").forEach(ip -> old.add(ip.asText()));
        }
        for (JsonNode ip : ips) {
            if (a.oldObject() == null || !old.contains(ip.asText())) {
                return Future.failedFuture(
                        AdmissionErrors.forbidden(a, "Use of external IPs is denied by admission control"));
            }
        }
        return Future.succeededFuture();
    }
}
