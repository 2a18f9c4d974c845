package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code featureGates} and {@code emulatedVersion}: they reach the server (a gate it honours changes an answer), and
 * what kube-apiserver or the fake refuses stops the server with the message.
 */
@KubeTwin(featureGates = "TokenRequestServiceAccountUIDValidation=false", emulatedVersion = "kube=1.34")
class FeatureGatesSettingsTest {
    private static final String WRONG_UID = "00000000-0000-0000-0000-000000000001";

    @Test
    void anHonouredGateChangesTheAnswer(KubernetesClient admin) {
        admin.serviceAccounts()
                .inNamespace("default")
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("bot")
                        .endMetadata()
                        .build())
                .create();
        // with the gate on (v1.34's default) this is a 409: the UID is not the account's
        TokenRequest issued = admin.serviceAccounts()
                .inNamespace("default")
                .withName("bot")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewMetadata()
                        .withUid(WRONG_UID)
                        .endMetadata()
                        .withNewSpec()
                        .withAudiences("a")
                        .endSpec()
                        .build());
        assertEquals(WRONG_UID, issued.getMetadata().getUid());
    }

    @Test
    void theSettingsAreTheConfigs() {
        KubeTwinConfig config = KubeTwinConfig.builder()
                .featureGates("AllowParsingUserUIDFromCertAuth=false")
                .featureGates("KMSv1=true")
                .emulatedVersion("1.34")
                .build();
        assertEquals(List.of("AllowParsingUserUIDFromCertAuth=false", "KMSv1=true"), config.featureGates());
        assertEquals(Optional.of("1.34"), config.emulatedVersion());
        assertEquals(Optional.empty(), KubeTwinConfig.defaults().emulatedVersion());
    }

    @Test
    void refusalsStopTheServerWithTheirMessage() {
        assertEquals(
                "cannot set feature gate AuthorizeWithSelectors to false, feature is locked to true",
                refusal(KubeTwinConfig.builder().featureGates("AuthorizeWithSelectors=false")));
        assertEquals(
                "--feature-gates: MutatingAdmissionPolicy=true is not emulated by this fake apiserver, which runs this"
                        + " gate at its default (see fake-apiserver/README.md, Feature gates); refusing to start"
                        + " rather than ignore it",
                refusal(KubeTwinConfig.builder().featureGates("MutatingAdmissionPolicy=true")));
        assertEquals(
                "[emulation version 1.30 is not between [1.31, 1.34.0], minCompatibilityVersion version 1.31 is not"
                        + " between [1.31, 1.30]]",
                refusal(KubeTwinConfig.builder().emulatedVersion("1.30")));
    }

    private static String refusal(KubeTwinConfig.Builder builder) {
        KubeTwinConfig config = builder.build();
        return assertThrows(IllegalArgumentException.class, () -> KubeTwinServer.start(config))
                .getMessage();
    }
}
