package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order discovery lists a CRD group's versions in (version.CompareKubeAwareVersionStrings), preferred first. */
class KubeAwareVersionOrderTest {
    @Test
    void gaThenBetaThenAlphaThenOthers() {
        List<String> versions = new ArrayList<>(List.of(
                "foo10",
                "v1alpha1",
                "v11alpha2",
                "v1beta1",
                "v3beta1",
                "foo1",
                "v1",
                "v12alpha1",
                "v10beta3",
                "v2",
                "v11beta2"));
        versions.sort(DiscoveryDocuments::compareKubeAwareVersions);
        // the example order of apimachinery's version.CompareKubeAwareVersionStrings documentation
        assertEquals(
                List.of(
                        "v2",
                        "v1",
                        "v11beta2",
                        "v10beta3",
                        "v3beta1",
                        "v1beta1",
                        "v12alpha1",
                        "v11alpha2",
                        "v1alpha1",
                        "foo1",
                        "foo10"),
                versions);
    }
}
