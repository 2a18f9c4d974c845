package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;

/**
 * The CertificateApproval admission plugin (plugin/pkg/admission/certificates/approval/admission.go):
 * an update of {@code certificatesigningrequests/approval} needs, besides RBAC's {@code update} on the
 * subresource, the {@code approve} verb on the CSR's signer.
 */
public final class CertificateApproval implements AdmissionPlugin {
    private final Authorizer authorizer;

    public CertificateApproval(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "CertificateApproval";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!"approval".equals(a.subresource()) || !CsrAdmission.isCsr(a)) {
            return Future.succeededFuture();
        }
        String signer = CsrObject.of(a.oldObject()).signerName();
        if (!SignerAuthorization.isAuthorized(authorizer, a.user(), "approve", signer)) {
            return Future.failedFuture(Statuses.forbiddenWithDetail(
                    a.resourceGroup(),
                    a.resource(),
                    CsrAdmission.name(a),
                    "user not permitted to approve requests with signerName " + GoText.quote(signer)));
        }
        return Future.succeededFuture();
    }
}
