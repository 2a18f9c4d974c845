package io.kubetwin.apiserver.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.pki.Csr;
import io.kubetwin.pki.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The kube-controller-manager signers' verdicts, with the SignerValidationFailure messages the reference wrote. */
class SignerRulesTest {

    static CertificateRequest request(String cn, List<String> orgs, List<String> dns, List<String> ips)
            throws Exception {
        String pem = Csr.create(KeyType.EC_P256.generate(), cn, orgs, dns, ips).pem();
        return CertificateRequest.parse(pem.getBytes(StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> verdicts() throws Exception {
        CertificateRequest user = request("mynewuser", List.of("company"), List.of(), List.of());
        CertificateRequest node = request("system:node:n1", List.of("system:nodes"), List.of(), List.of());
        CertificateRequest serving =
                request("system:node:n1", List.of("system:nodes"), List.of("n1.example"), List.of("10.0.0.7"));
        return Stream.of(
                Arguments.of(SignerNames.KUBE_APISERVER_CLIENT, user, List.of("client auth"), true, null),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT,
                        user,
                        List.of("digital signature", "key encipherment", "client auth"),
                        true,
                        null),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT,
                        user,
                        List.of("server auth"),
                        true,
                        "invalid usage for client certificate: server auth"),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT,
                        user,
                        List.of("digital signature"),
                        true,
                        "missing required usage for client certificate: client auth"),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT_KUBELET,
                        node,
                        List.of("digital signature", "client auth"),
                        true,
                        null),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT_KUBELET,
                        user,
                        List.of("client auth"),
                        true,
                        "subject organization is not system:nodes"),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT_KUBELET,
                        node,
                        List.of("client auth"),
                        true,
                        "usages did not match [client auth digital signature key encipherment]"),
                Arguments.of(
                        SignerNames.KUBE_APISERVER_CLIENT_KUBELET,
                        serving,
                        List.of("digital signature", "client auth"),
                        true,
                        "DNS subjectAltNames are not allowed"),
                Arguments.of(
                        SignerNames.KUBELET_SERVING, serving, List.of("digital signature", "server auth"), true, null),
                Arguments.of(
                        SignerNames.KUBELET_SERVING,
                        node,
                        List.of("digital signature", "server auth"),
                        true,
                        "DNS or IP subjectAltName is required"),
                Arguments.of(
                        SignerNames.KUBELET_SERVING,
                        serving,
                        List.of("server auth"),
                        true,
                        "usages did not match [digital signature key encipherment server auth]"),
                Arguments.of("example.com/my-signer", user, List.of("client auth"), false, null));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("verdicts")
    void judge(String signer, CertificateRequest request, List<String> usages, boolean recognized, String error) {
        assertEquals(new SignerRules.Verdict(recognized, error), SignerRules.judge(signer, request, usages));
    }
}
