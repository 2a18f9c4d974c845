package io.kubetwin.apiserver.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Csr;
import io.kubetwin.pki.KeyType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CsrValidation against the messages the reference answered for the same objects (kube-apiserver v1.34.4). */
class CsrValidationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REQUEST =
            b64(Csr.create(KeyType.EC_P256.generate(), "mynewuser", "company").pem());
    private static final String CA_PEM = b64(CertificateAuthority.generate().certificatePem());

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A valid kube-apiserver-client CSR, then the given changes. */
    static ObjectNode csr(UnaryOperator<ObjectNode> change) {
        ObjectNode csr = JSON.createObjectNode();
        csr.putObject("metadata").put("name", "x");
        ObjectNode spec =
                csr.putObject("spec").put("request", REQUEST).put("signerName", SignerNames.KUBE_APISERVER_CLIENT);
        spec.putArray("usages").add("client auth");
        csr.putObject("status");
        return change.apply(csr);
    }

    static ObjectNode spec(ObjectNode csr) {
        return (ObjectNode) csr.get("spec");
    }

    static ArrayNode conditions(ObjectNode csr, String... typeStatus) {
        ArrayNode a = ((ObjectNode) csr.get("status")).putArray("conditions");
        for (int i = 0; i < typeStatus.length; i += 2) {
            a.addObject().put("type", typeStatus[i]).put("status", typeStatus[i + 1]);
        }
        return a;
    }

    static Stream<Arguments> creates() {
        return Stream.of(
                Arguments.of(
                        "bad PEM",
                        csr(c -> {
                            spec(c).put("request", "aGVsbG8K");
                            return c;
                        }),
                        List.of(
                                "spec.request: Invalid value: \"aGVsbG8K\": PEM block type must be CERTIFICATE REQUEST")),
                Arguments.of(
                        "a certificate instead of a request",
                        csr(c -> {
                            spec(c).put("request", CA_PEM);
                            return c;
                        }),
                        List.of("spec.request: Invalid value: \"" + CA_PEM
                                + "\": PEM block type must be CERTIFICATE REQUEST")),
                Arguments.of(
                        "no signerName",
                        csr(c -> {
                            spec(c).remove("signerName");
                            return c;
                        }),
                        List.of("spec.signerName: Required value")),
                Arguments.of(
                        "no usages",
                        csr(c -> {
                            spec(c).putArray("usages");
                            return c;
                        }),
                        List.of("spec.usages: Required value")),
                Arguments.of(
                        "unknown and duplicate usages",
                        csr(c -> {
                            spec(c).putArray("usages")
                                    .add("client auth")
                                    .add("foo")
                                    .add("client auth");
                            return c;
                        }),
                        List.of(
                                "spec.usages[1]: Unsupported value: \"foo\": supported values: \"any\", \"cert sign\", \"client auth\", "
                                        + "\"code signing\", \"content commitment\", \"crl sign\", \"data encipherment\", \"decipher only\", "
                                        + "\"digital signature\", \"email protection\", \"encipher only\", \"ipsec end system\", \"ipsec tunnel\", "
                                        + "\"ipsec user\", \"key agreement\", \"key encipherment\", \"microsoft sgc\", \"netscape sgc\", "
                                        + "\"ocsp signing\", \"s/mime\", \"server auth\", \"signing\", \"timestamping\"",
                                "spec.usages[2]: Duplicate value: \"client auth\"")),
                Arguments.of(
                        "short expiration",
                        csr(c -> {
                            spec(c).put("expirationSeconds", 100);
                            return c;
                        }),
                        List.of(
                                "spec.expirationSeconds: Invalid value: 100: may not specify a duration less than 600 seconds (10 minutes)")),
                Arguments.of(
                        "signer without a path",
                        csr(c -> {
                            spec(c).put("signerName", "foo");
                            return c;
                        }),
                        List.of(
                                "spec.signerName: Invalid value: \"foo\": must be a fully qualified domain and path of the form "
                                        + "'example.com/signer-name'")),
                Arguments.of(
                        "one-label domain",
                        csr(c -> {
                            spec(c).put("signerName", "example/foo");
                            return c;
                        }),
                        List.of(
                                "spec.signerName: Invalid value: \"example\": should be a domain with at least two segments separated by dots")),
                Arguments.of(
                        "legacy signer",
                        csr(c -> {
                            spec(c).put("signerName", SignerNames.LEGACY_UNKNOWN);
                            return c;
                        }),
                        List.of(
                                "spec.signerName: Invalid value: \"kubernetes.io/legacy-unknown\": the legacy signerName is not allowed "
                                        + "via this API version")),
                Arguments.of("valid", csr(c -> c), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void create(String name, ObjectNode csr, List<String> expected) {
        assertEquals(expected, texts(CsrValidation.validate(CsrObject.of(csr), null, CsrValidation.Mode.CREATE)));
    }

    static Stream<Arguments> updates() {
        ObjectNode pending = csr(c -> c);
        ObjectNode denied = csr(c -> {
            conditions(c, "Denied", "True");
            return c;
        });
        ObjectNode issued = csr(c -> {
            ((ObjectNode) c.get("status")).put("certificate", CA_PEM);
            return c;
        });
        return Stream.of(
                Arguments.of(
                        "approved and denied",
                        CsrValidation.Mode.APPROVAL,
                        pending,
                        csr(c -> {
                            conditions(c, "Approved", "True", "Denied", "True");
                            return c;
                        }),
                        List.of(
                                "status.conditions: Invalid value: \"Denied\": Approved and Denied conditions are mutually exclusive")),
                Arguments.of(
                        "approved False",
                        CsrValidation.Mode.APPROVAL,
                        pending,
                        csr(c -> {
                            conditions(c, "Approved", "False");
                            return c;
                        }),
                        List.of(
                                "status.conditions[0].status: Unsupported value: \"False\": supported values: \"True\"")),
                Arguments.of(
                        "approval through status",
                        CsrValidation.Mode.STATUS,
                        pending,
                        csr(c -> {
                            conditions(c, "Approved", "True");
                            return c;
                        }),
                        List.of("status.conditions: Forbidden: updates may not add a condition of type \"Approved\"")),
                Arguments.of(
                        "certificate through the object",
                        CsrValidation.Mode.UPDATE,
                        pending,
                        issued,
                        List.of("status.certificate: Forbidden: updates may not set certificate content")),
                Arguments.of(
                        "not a certificate",
                        CsrValidation.Mode.STATUS,
                        pending,
                        csr(c -> {
                            ((ObjectNode) c.get("status")).put("certificate", "aGVsbG8=");
                            return c;
                        }),
                        List.of(
                                "status.certificate: Invalid value: \"<certificate data>\": must contain at least one CERTIFICATE PEM block")),
                Arguments.of(
                        "certificate replaced",
                        CsrValidation.Mode.STATUS,
                        issued,
                        csr(c -> {
                            ((ObjectNode) c.get("status"))
                                    .put(
                                            "certificate",
                                            b64(CertificateAuthority.generate().certificatePem()));
                            return c;
                        }),
                        List.of("status.certificate: Forbidden: updates may not modify existing certificate content")),
                Arguments.of(
                        "Denied removed",
                        CsrValidation.Mode.APPROVAL,
                        denied,
                        pending,
                        List.of("status.conditions: Forbidden: updates may not remove a condition of type \"Denied\"")),
                Arguments.of("certificate issued", CsrValidation.Mode.STATUS, pending, issued, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("updates")
    void update(String name, CsrValidation.Mode mode, ObjectNode old, ObjectNode csr, List<String> expected) {
        assertEquals(expected, texts(CsrValidation.validate(CsrObject.of(csr), CsrObject.of(old), mode)));
    }

    private static List<String> texts(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).toList();
    }
}
