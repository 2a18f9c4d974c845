package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.vertx.core.Future;

/**
 * The CertificateSubjectRestriction admission plugin
 * (plugin/pkg/admission/certificates/subjectrestriction/admission.go): a CSR for the
 * kube-apiserver-client signer may not ask for the {@code system:masters} organization.
 */
public final class CertificateSubjectRestriction implements AdmissionPlugin {

    @Override
    public String name() {
        return "CertificateSubjectRestriction";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!a.subresource().isEmpty() || !CsrAdmission.isCsr(a)) {
            return Future.succeededFuture();
        }
        CsrObject csr = CsrObject.of(a.object());
        if (!SignerNames.KUBE_APISERVER_CLIENT.equals(csr.signerName())) {
            return Future.succeededFuture();
        }
        try {
            if (CertificateRequest.parse(csr.requestBytes()).organizations().contains("system:masters")) {
                return Future.failedFuture(Statuses.forbiddenWithDetail(
                        a.resourceGroup(),
                        a.resource(),
                        CsrAdmission.name(a),
                        "use of " + SignerNames.KUBE_APISERVER_CLIENT
                                + " signer with system:masters group is not allowed"));
            }
        } catch (CertificateRequest.InvalidRequest e) {
            return Future.failedFuture(Statuses.forbiddenWithDetail(
                    a.resourceGroup(), a.resource(), CsrAdmission.name(a), "failed to parse CSR: " + e.getMessage()));
        }
        return Future.succeededFuture();
    }
}
