package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.auth.authz.Authorizer;
import java.util.List;

/** The certificate admission plugins kube-apiserver enables by default, and what they share. */
public final class CsrAdmission {
    static final String GROUP = "certificates.k8s.io";
    static final String RESOURCE = "certificatesigningrequests";

    private CsrAdmission() {}

    /** CertificateApproval, CertificateSigning and CertificateSubjectRestriction, in upstream's plugin order. */
    public static List<AdmissionPlugin> plugins(Authorizer authorizer) {
        return List.of(
                new CertificateApproval(authorizer),
                new CertificateSigning(authorizer),
                new CertificateSubjectRestriction());
    }

    static boolean isCsr(AdmissionAttributes a) {
        return GROUP.equals(a.resourceGroup()) && RESOURCE.equals(a.resource());
    }

    /** The name admission errors print (admission.extractResourceName). */
    static String name(AdmissionAttributes a) {
        return AdmissionErrors.resourceName(a);
    }
}
