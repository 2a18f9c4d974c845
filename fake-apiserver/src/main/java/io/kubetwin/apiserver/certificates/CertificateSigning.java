package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The CertificateSigning admission plugin (plugin/pkg/admission/certificates/signing/admission.go): a
 * {@code certificatesigningrequests/status} update that changes the certificate or the conditions needs
 * the {@code sign} verb on the CSR's signer.
 */
public final class CertificateSigning implements AdmissionPlugin {
    private final Authorizer authorizer;

    public CertificateSigning(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public String name() {
        return "CertificateSigning";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!"status".equals(a.subresource()) || !CsrAdmission.isCsr(a)) {
            return Future.succeededFuture();
        }
        CsrObject old = CsrObject.of(a.oldObject());
        CsrObject csr = CsrObject.of(a.object());
        if (Objects.equals(old.certificate(), csr.certificate())
                && old.conditions().equals(csr.conditions())) {
            return Future.succeededFuture();
        }
        if (!SignerAuthorization.isAuthorized(authorizer, a.user(), "sign", old.signerName())) {
            return Future.failedFuture(Statuses.forbiddenWithDetail(
                    a.resourceGroup(),
                    a.resource(),
                    CsrAdmission.name(a),
                    "user not permitted to sign requests with signerName " + GoText.quote(old.signerName())));
        }
        return Future.succeededFuture();
    }
}
