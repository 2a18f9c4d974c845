package io.kubetwin.apiserver.certificates;

import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/** The well-known signer names and the syntax check of spec.signerName (pkg/apis/core/validation/names.go ValidateSignerName). */
public final class SignerNames {
    public static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
    public static final String KUBE_APISERVER_CLIENT_KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
    public static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
    public static final String LEGACY_UNKNOWN = "kubernetes.io/legacy-unknown";

    private static final int MAX_DOMAIN = 253;
    private static final int MAX_NAME = MAX_DOMAIN + (253 + 63 + 1) + 1;

    private SignerNames() {}

    /** Errors for {@code signerName} at {@code field}; empty when it is of the form domain.com/path. */
    public static List<FieldError> validate(String field, String signerName) {
        List<FieldError> errs = new ArrayList<>();
        if (signerName.isEmpty()) {
            errs.add(FieldError.required(field, ""));
            return errs;
        }
        String[] segments = signerName.split("/", -1);
        if (segments.length != 2) {
            errs.add(FieldError.invalid(
                    field,
                    signerName,
                    "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
            return errs;
        }
        if (segments[0].length() > MAX_DOMAIN) {
            errs.add(FieldError.tooLong(field, MAX_DOMAIN));
        }
        String[] domainLabels = segments[0].split("\\.", -1);
        for (String label : domainLabels) {
            List<String> labelErrs = Names.isDns1123Label(label);
            if (!labelErrs.isEmpty()) {
                labelErrs.forEach(e -> errs.add(
                        FieldError.invalid(field, segments[0], "validating label " + GoText.quote(label) + ": " + e)));
                break;
            }
        }
        if (domainLabels.length < 2) {
            errs.add(FieldError.invalid(
                    field, segments[0], "should be a domain with at least two segments separated by dots"));
        }
        for (String label : segments[1].split("\\.", -1)) {
            List<String> labelErrs = Names.isDns1123Subdomain(label);
            if (!labelErrs.isEmpty()) {
                labelErrs.forEach(e -> errs.add(
                        FieldError.invalid(field, segments[1], "validating label " + GoText.quote(label) + ": " + e)));
                break;
            }
        }
        if (signerName.length() > MAX_NAME) {
            errs.add(FieldError.tooLong(field, MAX_NAME));
        }
        return errs;
    }
}
