package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.GoText;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validation of CertificateSigningRequests (pkg/apis/certificates/validation/validation.go) for create,
 * update, and the status and approval subresources, with upstream's error texts and order. Metadata is
 * validated by the registry. Stateless.
 */
public final class CsrValidation {

    /** Which write is validated; each allows what the matching upstream function allows. */
    public enum Mode {
        CREATE,
        UPDATE,
        STATUS,
        APPROVAL
    }

    /** Every usage a request may name (allValidUsages), sorted as upstream lists them. */
    public static final List<String> VALID_USAGES = List.copyOf(new TreeSet<>(List.of(
            "signing",
            "digital signature",
            "content commitment",
            "key encipherment",
            "key agreement",
            "data encipherment",
            "cert sign",
            "crl sign",
            "encipher only",
            "decipher only",
            "any",
            "server auth",
            "client auth",
            "code signing",
            "email protection",
            "s/mime",
            "ipsec end system",
            "ipsec tunnel",
            "ipsec user",
            "timestamping",
            "ocsp signing",
            "microsoft sgc",
            "netscape sgc")));

    private static final Set<String> TRUE_ONLY_TYPES = Set.of(CsrObject.APPROVED, CsrObject.DENIED, CsrObject.FAILED);

    private CsrValidation() {}

    /** Errors of a write; {@code old} is null for CREATE. */
    public static List<FieldError> validate(CsrObject csr, CsrObject old, Mode mode) {
        Options opts = Options.of(csr, old, mode);
        List<FieldError> errs = validateObject(csr, opts);
        if (mode == Mode.CREATE) {
            return errs;
        }
        for (String t : List.of(CsrObject.APPROVED, CsrObject.DENIED, CsrObject.FAILED)) {
            if (conditions(csr, t).size() < conditions(old, t).size()) {
                errs.add(FieldError.forbidden(
                        "status.conditions", "updates may not remove a condition of type " + GoText.quote(t)));
            }
        }
        if (!opts.allowSettingApprovalConditions) {
            for (String t : List.of(CsrObject.APPROVED, CsrObject.DENIED)) {
                List<CsrObject.Condition> before = conditions(old, t);
                List<CsrObject.Condition> after = conditions(csr, t);
                if (after.size() > before.size()) {
                    errs.add(FieldError.forbidden(
                            "status.conditions", "updates may not add a condition of type " + GoText.quote(t)));
                } else if (after.size() == before.size() && !after.equals(before)) {
                    // upstream appends a struct diff after a newline; its exact text is not reproduced
                    errs.add(FieldError.forbidden(
                            "status.conditions", "updates may not modify a condition of type " + GoText.quote(t)));
                }
            }
        }
        if (!Objects.equals(csr.certificate(), old.certificate())) {
            if (!opts.allowSettingCertificate) {
                errs.add(FieldError.forbidden("status.certificate", "updates may not set certificate content"));
            } else if (!old.certificate().isEmpty()) {
                errs.add(FieldError.forbidden(
                        "status.certificate", "updates may not modify existing certificate content"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateObject(CsrObject csr, Options opts) {
        List<FieldError> errs = new ArrayList<>();
        try {
            CertificateRequest.parse(csr.requestBytes()).checkSignature();
        } catch (CertificateRequest.InvalidRequest e) {
            errs.add(FieldError.invalid("spec.request", csr.request(), e.getMessage()));
        }
        if (csr.usages().isEmpty()) {
            errs.add(FieldError.required("spec.usages", ""));
        }
        if (!opts.allowUnknownUsages) {
            for (int i = 0; i < csr.usages().size(); i++) {
                if (!VALID_USAGES.contains(csr.usages().get(i))) {
                    errs.add(FieldError.notSupported(
                            "spec.usages[" + i + "]", csr.usages().get(i), VALID_USAGES));
                }
            }
        }
        if (!opts.allowDuplicateUsages) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < csr.usages().size(); i++) {
                if (!seen.add(csr.usages().get(i))) {
                    errs.add(FieldError.duplicate(
                            "spec.usages[" + i + "]", csr.usages().get(i)));
                }
            }
        }
        if (!opts.allowLegacySignerName && SignerNames.LEGACY_UNKNOWN.equals(csr.signerName())) {
            errs.add(FieldError.invalid(
                    "spec.signerName", csr.signerName(), "the legacy signerName is not allowed via this API version"));
        } else {
            errs.addAll(SignerNames.validate("spec.signerName", csr.signerName()));
        }
        if (csr.expirationSeconds() != null && csr.expirationSeconds() < 600) {
            errs.add(FieldError.invalid(
                    "spec.expirationSeconds",
                    csr.expirationSeconds(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        errs.addAll(validateConditions(csr, opts));
        if (!opts.allowArbitraryCertificate) {
            String problem = certificateProblem(csr.certificateBytes());
            if (problem != null) {
                errs.add(FieldError.invalid("status.certificate", "<certificate data>", problem));
            }
        }
        return errs;
    }

    private static List<FieldError> validateConditions(CsrObject csr, Options opts) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean approved = false;
        boolean denied = false;
        for (int i = 0; i < csr.conditions().size(); i++) {
            CsrObject.Condition c = csr.conditions().get(i);
            String at = "status.conditions[" + i + "]";
            if (!opts.allowEmptyConditionType && c.type().isEmpty()) {
                errs.add(FieldError.required(at + ".type", ""));
            }
            List<String> allowed =
                    TRUE_ONLY_TYPES.contains(c.type()) ? List.of("True") : List.of("False", "True", "Unknown");
            if (c.status().isEmpty()) {
                errs.add(FieldError.required(at + ".status", ""));
            } else if (!allowed.contains(c.status())) {
                errs.add(FieldError.notSupported(at + ".status", c.status(), allowed));
            }
            if (!opts.allowBothApprovedAndDenied) {
                if (CsrObject.APPROVED.equals(c.type())) {
                    approved = true;
                    if (denied) {
                        errs.add(FieldError.invalid(
                                "status.conditions",
                                c.type(),
                                "Approved and Denied conditions are mutually exclusive"));
                    }
                } else if (CsrObject.DENIED.equals(c.type())) {
                    denied = true;
                    if (approved) {
                        errs.add(FieldError.invalid(
                                "status.conditions",
                                c.type(),
                                "Approved and Denied conditions are mutually exclusive"));
                    }
                }
            }
            if (!opts.allowDuplicateConditionTypes && !seen.add(c.type())) {
                errs.add(FieldError.duplicate(at + ".type", c.type()));
            }
        }
        return errs;
    }

    /** validateCertificate: null when the data is empty or only CERTIFICATE blocks that parse. */
    static String certificateProblem(byte[] pem) {
        if (pem.length == 0) {
            return null;
        }
        List<GoPem.Block> blocks = GoPem.all(pem);
        for (GoPem.Block block : blocks) {
            if (!"CERTIFICATE".equals(block.type())) {
                return "only CERTIFICATE PEM blocks are allowed, found " + GoText.quote(block.type());
            }
            if (!block.headers().isEmpty()) {
                return "no PEM block headers are permitted";
            }
            try {
                if (CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(block.bytes()))
                        .isEmpty()) {
                    return "found CERTIFICATE PEM block containing 0 certificates";
                }
            } catch (CertificateException e) {
                return "x509: malformed certificate";
            }
        }
        return blocks.isEmpty() ? "must contain at least one CERTIFICATE PEM block" : null;
    }

    private static List<CsrObject.Condition> conditions(CsrObject csr, String type) {
        return csr.conditions().stream().filter(c -> type.equals(c.type())).toList();
    }

    /** certificateValidationOptions: what a write may do, loosened for data stored by older versions. */
    private record Options(
            boolean allowSettingApprovalConditions,
            boolean allowSettingCertificate,
            boolean allowBothApprovedAndDenied,
            boolean allowLegacySignerName,
            boolean allowDuplicateConditionTypes,
            boolean allowEmptyConditionType,
            boolean allowArbitraryCertificate,
            boolean allowUnknownUsages,
            boolean allowDuplicateUsages) {
        static Options of(CsrObject csr, CsrObject old, Mode mode) {
            boolean hasOld = old != null;
            return new Options(
                    mode == Mode.APPROVAL,
                    mode == Mode.STATUS,
                    hasOld && old.hasApprovedCondition() && old.hasDeniedCondition(),
                    hasOld && SignerNames.LEGACY_UNKNOWN.equals(old.signerName()),
                    hasOld && hasDuplicateTypes(old),
                    hasOld && old.conditions().stream().anyMatch(c -> c.type().isEmpty()),
                    hasOld
                            && (Objects.equals(csr.certificate(), old.certificate())
                                    || certificateProblem(old.certificateBytes()) != null),
                    hasOld && old.usages().stream().anyMatch(u -> !VALID_USAGES.contains(u)),
                    hasOld && old.usages().size() != new HashSet<>(old.usages()).size());
        }

        private static boolean hasDuplicateTypes(CsrObject csr) {
            Set<String> seen = new HashSet<>();
            return csr.conditions().stream().anyMatch(c -> !seen.add(c.type()));
        }
    }
}
