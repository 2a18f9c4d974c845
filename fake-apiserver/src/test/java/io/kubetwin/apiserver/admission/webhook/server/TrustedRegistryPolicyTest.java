package io.kubetwin.apiserver.admission.webhook.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The known bypasses of prefix-matching registry policies, each refused. */
class TrustedRegistryPolicyTest {
    private static final String D = "sha256:" + "b".repeat(64);
    private final TrustedRegistryPolicy policy =
            new TrustedRegistryPolicy(List.of("myregistry.io", "localhost:5000", "docker.io/library/busybox"), false);
    private final TrustedRegistryPolicy pinned = new TrustedRegistryPolicy(List.of("myregistry.io"), true);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            myregistry.io/app                  | ''
            myregistry.io/team/app:1.0         | ''
            MYREGISTRY.IO/app                  | ''
            localhost:5000/app                 | ''
            busybox:1.36                       | ''
            docker.io/library/busybox          | ''
            wordpress:latest                   | registry docker.io is not trusted
            myregistry.io.malicious.com/app    | registry myregistry.io.malicious.com is not trusted
            myregistry.io@evil/app             | not a valid image reference: invalid reference format
            myregistry.io:443.evil.com/app     | not a valid image reference: invalid reference format
            myregistry.io:443/app              | registry myregistry.io:443 is not trusted
            localhost/app                      | registry localhost is not trusted
            myregistry.io                      | registry docker.io is not trusted
            myregistry/app                     | registry docker.io is not trusted
            docker.io/library/busyboxx         | registry docker.io is not trusted
            evil.com/app:1@DIGEST              | registry evil.com is not trusted
            """)
    void refusesImagesOutsideTheList(String image, String reason) {
        assertEquals(
                reason.isEmpty() ? Optional.empty() : Optional.of(reason), policy.refuse(image.replace("DIGEST", D)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            myregistry.io/app@DIGEST           | ''
            myregistry.io/app:1.0@DIGEST       | ''
            myregistry.io/app:1.0              | not pinned by digest
            myregistry.io/app:DIGEST           | not a valid image reference: invalid reference format
            """)
    void requiresDigestsWhenConfigured(String image, String reason) {
        assertEquals(
                reason.isEmpty() ? Optional.empty() : Optional.of(reason), pinned.refuse(image.replace("DIGEST", D)));
    }

    @Test
    void everyContainerOfPodsAndTemplatesCounts() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String spec = "{\"initContainers\":[{\"name\":\"i\",\"image\":\"evil.com/init\"}],"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"myregistry.io/app\"}],"
                + "\"ephemeralContainers\":[{\"name\":\"e\",\"image\":\"evil.com/debug\"}]}";
        assertEquals(
                List.of("evil.com/init", "myregistry.io/app", "evil.com/debug"),
                TrustedRegistryPolicy.images("Pod", json.readTree("{\"spec\":" + spec + "}")));
        assertEquals(
                "evil.com/init",
                policy.check("Deployment", json.readTree("{\"spec\":{\"template\":{\"spec\":" + spec + "}}}"))
                        .orElseThrow()
                        .image());
        assertEquals(
                List.of("evil.com/init", "myregistry.io/app", "evil.com/debug"),
                TrustedRegistryPolicy.images(
                        "CronJob",
                        json.readTree(
                                "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":" + spec + "}}}}}")));
        assertEquals(
                List.of("evil.com/init", "myregistry.io/app", "evil.com/debug"),
                TrustedRegistryPolicy.images("PodTemplate", json.readTree("{\"template\":{\"spec\":" + spec + "}}")));
    }
}
