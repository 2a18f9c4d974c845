package io.kubetwin.apiserver.certificates;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What kube-controller-manager's signers accept for each kubernetes.io signer
 * (pkg/controller/certificates/signer/signer.go isRequestForSignerFn, and ValidateKubeletServingCSR /
 * ValidateKubeletClientCSR in pkg/apis/certificates/helpers.go), with their error texts. Stateless.
 */
public final class SignerRules {

    /**
     * The signer's judgement of a request.
     *
     * @param recognized whether one of the built-in signers handles this signerName
     * @param error why it refuses the request, null when it will sign
     */
    public record Verdict(boolean recognized, String error) {
        static Verdict ok() {
            return new Verdict(true, null);
        }

        static Verdict invalid(String error) {
            return new Verdict(true, error);
        }
    }

    /** The signers the controller manager runs (legacy-unknown cannot be requested through v1). */
    public static final List<String> SIGNERS = List.of(
            SignerNames.KUBE_APISERVER_CLIENT, SignerNames.KUBE_APISERVER_CLIENT_KUBELET, SignerNames.KUBELET_SERVING);

    private static final Set<String> KUBELET_SERVING_USAGES =
            Set.of("digital signature", "key encipherment", "server auth");
    private static final Set<String> KUBELET_SERVING_USAGES_NO_RSA = Set.of("digital signature", "server auth");
    private static final Set<String> KUBELET_CLIENT_USAGES =
            Set.of("digital signature", "key encipherment", "client auth");
    private static final Set<String> KUBELET_CLIENT_USAGES_NO_RSA = Set.of("digital signature", "client auth");

    private SignerRules() {}

    public static Verdict judge(String signerName, CertificateRequest request, List<String> usages) {
        return switch (signerName) {
            case SignerNames.KUBE_APISERVER_CLIENT -> apiServerClient(usages);
            case SignerNames.KUBE_APISERVER_CLIENT_KUBELET -> verdict(kubeletClientError(request, usages));
            case SignerNames.KUBELET_SERVING -> verdict(kubeletServingError(request, usages));
            default -> new Verdict(false, null);
        };
    }

    /** ValidateKubeletClientCSR; null when the request is a valid kubelet client request (the approver's isNodeClientCert). */
    public static String kubeletClientError(CertificateRequest r, List<String> usages) {
        if (!r.organizations().equals(List.of("system:nodes"))) {
            return "subject organization is not system:nodes";
        }
        if (!r.dnsNames().isEmpty()) {
            return "DNS subjectAltNames are not allowed";
        }
        if (!r.emailAddresses().isEmpty()) {
            return "Email subjectAltNames are not allowed";
        }
        if (!r.ipAddresses().isEmpty()) {
            return "IP subjectAltNames are not allowed";
        }
        if (!r.uris().isEmpty()) {
            return "URI subjectAltNames are not allowed";
        }
        if (!r.commonName().startsWith("system:node:")) {
            return "subject common name does not begin with system:node:";
        }
        Set<String> set = new HashSet<>(usages);
        if (!set.equals(KUBELET_CLIENT_USAGES) && !set.equals(KUBELET_CLIENT_USAGES_NO_RSA)) {
            return "usages did not match [client auth digital signature key encipherment]";
        }
        return null;
    }

    /** ValidateKubeletServingCSR. */
    public static String kubeletServingError(CertificateRequest r, List<String> usages) {
        if (!r.organizations().equals(List.of("system:nodes"))) {
            return "subject organization is not system:nodes";
        }
        if (r.dnsNames().isEmpty() && r.ipAddresses().isEmpty()) {
            return "DNS or IP subjectAltName is required";
        }
        if (!r.emailAddresses().isEmpty()) {
            return "Email subjectAltNames are not allowed";
        }
        if (!r.uris().isEmpty()) {
            return "URI subjectAltNames are not allowed";
        }
        Set<String> set = new HashSet<>(usages);
        if (!set.equals(KUBELET_SERVING_USAGES) && !set.equals(KUBELET_SERVING_USAGES_NO_RSA)) {
            return "usages did not match [digital signature key encipherment server auth]";
        }
        if (!r.commonName().startsWith("system:node:")) {
            return "subject common name does not begin with system:node:";
        }
        return null;
    }

    private static Verdict apiServerClient(List<String> usages) {
        boolean clientAuth = false;
        for (String u : usages) {
            switch (u) {
                case "digital signature", "key encipherment" -> {}
                case "client auth" -> clientAuth = true;
                default -> {
                    return Verdict.invalid("invalid usage for client certificate: " + u);
                }
            }
        }
        return clientAuth
                ? Verdict.ok()
                : Verdict.invalid("missing required usage for client certificate: client auth");
    }

    private static Verdict verdict(String error) {
        return error == null ? Verdict.ok() : Verdict.invalid(error);
    }
}
