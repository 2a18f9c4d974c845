package io.kubetwin.apiserver.admission.imagepolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.Operation;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The review spec ImagePolicyWebhook sends (admission.go Validate), per resource and subresource. */
class ImageReviewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POD =
            "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"x.image-policy.k8s.io/a\":\"<&>\","
                    + "\"other\":\"1\"}},\"spec\":{\"initContainers\":[{\"name\":\"i\",\"image\":\"init\"}],"
                    + "\"containers\":[{\"name\":\"c\",\"image\":\"main\"},{\"name\":\"d\"}],"
                    + "\"ephemeralContainers\":[{\"name\":\"e\",\"image\":\"debug\"}]}}";

    private static AdmissionAttributes attributes(String group, String resource, String subresource, String namespace)
            throws Exception {
        ObjectNode pod = (ObjectNode) JSON.readTree(POD);
        return new AdmissionAttributes(
                Operation.UPDATE, pod, pod, "", "v1", "Pod", group, resource, subresource, namespace, "p", null, false);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // containers, then init containers; an empty image is an empty object (omitempty); Go escapes <&>
                "'' | pods | '' | ns | {\"containers\":[{\"image\":\"main\"},{},{\"image\":\"init\"}],\"annotations\":"
                        + "{\"x.image-policy.k8s.io/a\":\"\\u003c\\u0026\\u003e\"},\"namespace\":\"ns\"}",
                "'' | pods | ephemeralcontainers | ns | {\"containers\":[{\"image\":\"debug\"}],\"annotations\":"
                        + "{\"x.image-policy.k8s.io/a\":\"\\u003c\\u0026\\u003e\"},\"namespace\":\"ns\"}",
                "'' | pods | status | ns | -",
                "'' | pods | binding | ns | -",
                "'' | podtemplates | '' | ns | -",
                "apps | pods | '' | ns | -"
            })
    void theSpecSent(String group, String resource, String subresource, String namespace, String expected)
            throws Exception {
        Optional<String> spec = ImageReviews.spec(attributes(group, resource, subresource, namespace));
        assertEquals(expected, spec.orElse("-"));
    }

    @Test
    void answers() {
        assertEquals(
                new ImageReviews.Answer(false, "no", Map.of("k", "v")),
                ImageReviews.decode("{\"apiVersion\":\"imagepolicy.k8s.io/v1alpha1\",\"kind\":\"ImageReview\","
                        + "\"status\":{\"allowed\":false,\"reason\":\"no\",\"auditAnnotations\":{\"k\":\"v\"}}}"));
        assertEquals(
                new ImageReviews.Answer(true, "", Map.of()), ImageReviews.decode("{\"status\":{\"allowed\":true}}"));
        assertEquals(new ImageReviews.Answer(false, "", Map.of()), ImageReviews.decode("{}"));
        assertEquals(
                "converting (v1.Pod) to (v1alpha1.ImageReview): unknown conversion",
                assertThrows(
                                ImageReviews.UndecodableException.class,
                                () -> ImageReviews.decode("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}"))
                        .getMessage());
    }
}
