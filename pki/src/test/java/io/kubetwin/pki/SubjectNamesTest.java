package io.kubetwin.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubjectNamesTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of(
                        "one RDN per value, kubetwin's layout",
                        SubjectNames.of("alice", List.of("dev", "ops")),
                        "alice",
                        List.of("dev", "ops")),
                Arguments.of(
                        "openssl -subj /CN=u/O=g order",
                        new X500Name(new RDN[] {rdn(BCStyle.CN, "u"), rdn(BCStyle.O, "g")}),
                        "u",
                        List.of("g")),
                Arguments.of(
                        "Go's multi-valued O RDN",
                        new X500Name(new RDN[] {
                            new RDN(new AttributeTypeAndValue[] {atv(BCStyle.O, "a"), atv(BCStyle.O, "b")}),
                            rdn(BCStyle.CN, "u")
                        }),
                        "u",
                        List.of("a", "b")),
                Arguments.of(
                        "last CN wins, as in Go",
                        new X500Name(new RDN[] {rdn(BCStyle.CN, "first"), rdn(BCStyle.CN, "second")}),
                        "second",
                        List.of()),
                Arguments.of("no CN", SubjectNames.of("", List.of("system:masters")), "", List.of("system:masters")),
                Arguments.of(
                        "PrintableString values",
                        new X500Name(new RDN[] {
                            new RDN(BCStyle.O, new DERPrintableString("printable")),
                            new RDN(BCStyle.CN, new DERUTF8String("utf8"))
                        }),
                        "utf8",
                        List.of("printable")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void readsUserAndGroupsAsKubernetesDoes(String name, X500Name subject, String cn, List<String> orgs) {
        assertEquals(cn, SubjectNames.commonName(subject));
        assertEquals(orgs, SubjectNames.organizations(subject));
    }

    private static RDN rdn(ASN1ObjectIdentifier type, String value) {
        return new RDN(type, new DERUTF8String(value));
    }

    private static AttributeTypeAndValue atv(ASN1ObjectIdentifier type, String value) {
        return new AttributeTypeAndValue(type, new DERUTF8String(value));
    }
}
