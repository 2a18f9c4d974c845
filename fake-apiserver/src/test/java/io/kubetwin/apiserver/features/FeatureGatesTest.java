package io.kubetwin.apiserver.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.server.ApiServerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code --feature-gates} and {@code --emulated-version} start-up errors, verbatim as kube-apiserver v1.34.4 printed
 * them ({@code "command failed" err="..."}) when started with these flags on 2026-12-07; the fake's own refusals of
 * what it does not emulate last.
 */
public class FeatureGatesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            --feature-gates=Foo=true                                                  | unrecognized feature gate: Foo
            --feature-gates=kube:Foo=true                                             | unrecognized feature gate: Foo
            --feature-gates=AuthorizeWithSelectors=TRUE,Foo=1                         | unrecognized feature gate: Foo
            --feature-gates=AuthorizeWithSelectors=maybe                              | invalid value of AuthorizeWithSelectors=maybe, err: strconv.ParseBool: parsing "maybe": invalid syntax
            --feature-gates=Foo=                                                      | invalid value of Foo=, err: strconv.ParseBool: parsing "": invalid syntax
            --feature-gates=Foo                                                       | missing bool value for Foo
            '--feature-gates= AuthorizeWithSelectors = false '                        | cannot set feature gate AuthorizeWithSelectors to false, feature is locked to true
            --feature-gates=wardle:Foo=true                                           | component not registered: wardle
            --feature-gates=a:b:c=true                                                | component not registered: a
            --feature-gates=kube:AuthorizeWithSelectors=true,AuthorizeWithSelectors=false | set kube feature gates with default empty prefix or kube: prefix consistently, do not mix use
            --feature-gates=AuthorizeWithSelectors=false --feature-gates=AuthorizeWithSelectors=maybe | invalid value of AuthorizeWithSelectors=maybe, err: strconv.ParseBool: parsing "maybe": invalid syntax
            --feature-gates=AuthorizeWithSelectors=maybe --feature-gates=Foo=true     | invalid value of AuthorizeWithSelectors=maybe, err: strconv.ParseBool: parsing "maybe": invalid syntax
            --emulated-version=1.30                                                   | [emulation version 1.30 is not between [1.31, 1.34.0], minCompatibilityVersion version 1.31 is not between [1.31, 1.30]]
            --emulated-version=1.35                                                   | emulation version 1.35 is not between [1.31, 1.34.0]
            --emulated-version=2.0                                                    | emulation version 2.0 is not between [1.31, 1.34.0]
            --emulated-version=1.33.1                                                 | patch version not allowed, got: kube=1.33.1
            --emulated-version=kube=1.33,kube=1.32                                    | duplicate version flag, kube=1.33 and kube=1.32
            '--emulated-version=kube=1.33 , 1.32'                                     | duplicate version flag, kube=1.33 and kube=1.32
            --emulated-version=1.33 --emulated-version=1.32                           | duplicate version flag, kube=1.33 and kube=1.32
            --emulated-version=wardle=1.2                                             | component not registered: wardle
            --emulated-version==1.33                                                  | 'component not registered: '
            --emulated-version=abc                                                    | could not parse "abc" as version
            --emulated-version=1                                                      | illegal version string "1"
            --emulated-version=01.33                                                  | illegal zero-prefixed version component "01" in "01.33"
            --emulated-version=1.30 --feature-gates=Foo=true                          | unrecognized feature gate: Foo
            """)
    void refusedAsKubeApiserverRefusesThem(String flags, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(flags));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void gatesLockedToTheirValueAreAcceptedAndTheLastValueWins() {
        FeatureGates gates = FeatureGates.parse(
                List.of("AuthorizeWithSelectors=true,AllowParsingUserUIDFromCertAuth=true", " KMSv1 = t "), List.of());
        assertTrue(gates.enabled("AuthorizeWithSelectors"));
        assertTrue(gates.enabled("KMSv1"));
        assertEquals(
                List.of("AuthorizeWithSelectors", "AllowParsingUserUIDFromCertAuth", "KMSv1"),
                new ArrayList<>(gates.explicit().keySet()));
        FeatureGates twice = FeatureGates.parse(
                List.of("AllowParsingUserUIDFromCertAuth=false", "AllowParsingUserUIDFromCertAuth=true"), List.of());
        assertTrue(twice.enabled("AllowParsingUserUIDFromCertAuth"));
        assertTrue(twice.changed().isEmpty());
    }

    @Test
    void defaultsAreV134s() {
        FeatureGates gates = FeatureGates.defaults();
        // beta and on, alpha and off, deprecated and off, GA and locked on
        assertTrue(gates.enabled("AllowParsingUserUIDFromCertAuth"));
        assertFalse(gates.enabled("MutatingAdmissionPolicy"));
        assertFalse(gates.enabled("KMSv1"));
        assertTrue(gates.enabled("AuthorizeNodeWithSelectors"));
        assertEquals("1.34", gates.emulationVersion());
        assertEquals("33", gates.minCompatibilityMinor());
    }

    @Test
    void olderReleasesParseWithTheirGateDefaultsAndMinimumCompatibility() {
        // accepted by the reference (the fake then refuses the gates it emulates only at 1.34's defaults)
        FeatureGates at131 = FeatureGates.parse(List.of(), List.of("kube=1.31.0"));
        assertEquals("1.31", at131.emulationVersion());
        assertEquals("31", at131.minCompatibilityMinor(), "the floor, not 1.30");
        assertFalse(at131.enabled("AuthorizeWithSelectors"), "alpha in 1.31");
        FeatureGates at133 = FeatureGates.parse(List.of("AuthorizeWithSelectors=false"), List.of("v1.33"));
        assertEquals("32", at133.minCompatibilityMinor());
        assertFalse(at133.enabled("AuthorizeWithSelectors"), "beta, not yet locked, in 1.33");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --feature-gates=MutatingAdmissionPolicy=true             | --feature-gates: MutatingAdmissionPolicy=true is not emulated by this fake apiserver, which runs this gate at its default (see fake-apiserver/README.md, Feature gates); refusing to start rather than ignore it
            --feature-gates=ServiceAccountNodeAudienceRestriction=false,RelaxedServiceNameValidation=true | --feature-gates: RelaxedServiceNameValidation=true,ServiceAccountNodeAudienceRestriction=false are not emulated by this fake apiserver, which runs these gates at their defaults (see fake-apiserver/README.md, Feature gates); refusing to start rather than ignore them
            --emulated-version=1.33 --feature-gates=AuthorizeWithSelectors=false | --feature-gates: AuthorizeWithSelectors=false is not emulated by this fake apiserver, which runs this gate at its default (see fake-apiserver/README.md, Feature gates); refusing to start rather than ignore it
            """)
    void whatTheFakeDoesNotEmulateIsRefused(String flags, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(flags));
        assertEquals(expected, e.getMessage());
    }

    /**
     * 1.33's gates whose defaults differ from v1.34's and that change what clients see, set to v1.34's values (the
     * surface of 1.33 with 1.34's behaviour).
     */
    public static final String AT_1_33_AS_1_34 = "DynamicResourceAllocation=true,"
            + "KubeletServiceAccountTokenForCredentialProviders=true,PodLevelResources=true,"
            + "PodObservedGenerationTracking=true,PreferSameTrafficDistribution=true,VolumeAttributesClass=true,"
            + "WatchList=true";

    @Test
    void release133StartsAtItsOwnDefaults() {
        ApiServerConfig.fromArgs(List.of("--emulated-version=1.33"));
        FeatureGates gates = FeatureGates.parse(List.of(), List.of("1.33"));
        for (String gate : AT_1_33_AS_1_34.replace("=true", "").split(",")) {
            assertFalse(gates.enabled(gate), gate);
            assertEquals(GateSupport.Kind.HONOURED, GateSupport.kind(gate), gate);
        }
        assertEquals(Optional.empty(), GateSupport.refusal(gates, Set.of()));
    }

    @Test
    void release133sGatesAreAcceptedOffAt134() {
        ApiServerConfig.fromArgs(List.of("--feature-gates=" + AT_1_33_AS_1_34.replace("=true", "=false")));
    }

    @Test
    void anEmulatedReleaseStartsWithItsOtherGatesAtV134sDefaults() {
        // the rest of 1.33's differing defaults: no effect on the fake, emulated both ways, or off as the fake is
        ApiServerConfig.fromArgs(List.of("--emulated-version=1.33", "--feature-gates=" + AT_1_33_AS_1_34));
        FeatureGates gates = FeatureGates.parse(List.of(AT_1_33_AS_1_34), List.of("1.33"));
        assertFalse(gates.enabled("ProbeHostPodSecurityStandards"), "pre-alpha at 1.33: PodSecurity skips the check");
        assertFalse(gates.enabled("MatchLabelKeysInPodTopologySpreadSelectorMerge"), "the fake never merges");
        assertFalse(gates.enabled("DRAAdminAccess"), "resource.k8s.io is not served at 1.33");
        assertFalse(gates.enabled("TokenRequestServiceAccountUIDValidation"), "honoured");
    }

    @Test
    void allAlphaAndAllBetaReachEveryGateOfTheirStage() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> parse("--feature-gates=AllBeta=false"));
        // AllBeta=false turns every beta gate off: the ones kube-apiserver reads and the fake does not emulate
        assertTrue(
                e.getMessage().startsWith("--feature-gates: APIResponseCompression=false,APIServerIdentity=false,"),
                e.getMessage());
        assertTrue(e.getMessage().contains(" (set through AllBeta) are not emulated"), e.getMessage());
        FeatureGates gates = FeatureGates.parse(List.of("AllAlpha=true,MutatingAdmissionPolicy=false"), List.of());
        assertTrue(gates.enabled("RelaxedServiceNameValidation"));
        assertFalse(gates.enabled("MutatingAdmissionPolicy"), "beta: AllAlpha leaves it");
        // gates no kube-apiserver code reads (kubelet's, here) and gates without visible effect are accepted
        ApiServerConfig.fromArgs(
                List.of("--feature-gates=CPUManagerPolicyAlphaOptions=true,ListFromCacheSnapshot=false"));
    }

    @Test
    void kmsV1ProvidersAreRefusedEitherWayWithTheirOwnReason() throws Exception {
        String file = java.nio.file.Path.of(FeatureGatesTest.class
                        .getResource("/golden/encryption/invalid/kmsv1.yaml")
                        .toURI())
                .toString();
        // the gate off (v1.34's default): kube-apiserver's refusal, recorded in kmsv1.yaml.err
        assertEquals(
                "error while building transformers: KMSv1 is deprecated and will only receive security updates going"
                        + " forward. Use KMSv2 instead.  Set --feature-gates=KMSv1=true to use the deprecated KMSv1"
                        + " feature.",
                assertThrows(IllegalArgumentException.class, () -> parse("--encryption-provider-config=" + file))
                        .getMessage());
        // on: the reference would dial the plugin; the fake has no KMS v1 client and says so
        assertEquals(
                "--feature-gates=KMSv1=true: KMS v1 providers are not emulated by this fake apiserver (KMS v2 is);"
                        + " refusing to start rather than store values unencrypted",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> parse("--feature-gates=KMSv1=true --encryption-provider-config=" + file))
                        .getMessage());
        assertTrue(ApiServerConfig.fromArgs(List.of("--feature-gates=KMSv1=true"))
                .featureGates()
                .enabled("KMSv1"));
    }

    @Test
    void everyGateNamedInTheSupportTableIsKnown() {
        for (String gate : GateSupport.HONOURED) {
            assertTrue(KnownFeatures.v134().known(gate), gate);
            assertEquals(GateSupport.Kind.HONOURED, GateSupport.kind(gate));
        }
        for (String gate : GateSupport.NO_EFFECT) {
            assertTrue(KnownFeatures.v134().known(gate), gate);
        }
        assertEquals(GateSupport.Kind.DEFAULT_ONLY, GateSupport.kind("MutatingAdmissionPolicy"));
        assertEquals(GateSupport.Kind.NO_EFFECT, GateSupport.kind("CPUManagerPolicyAlphaOptions"));
    }

    private static ApiServerConfig parse(String flags) {
        return ApiServerConfig.fromArgs(Arrays.asList(flags.split(" --")).stream()
                .map(f -> f.startsWith("--") ? f : "--" + f)
                .toList());
    }
}
