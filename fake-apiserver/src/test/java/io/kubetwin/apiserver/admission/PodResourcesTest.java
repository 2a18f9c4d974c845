package io.kubetwin.apiserver.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pod's effective resources and QoS with the PodLevelResources gate on (v1.34) and off (1.33): pod-level
 * {@code spec.resources} counts only when on (component-helpers PodRequests' SkipPodLevelResources, ComputePodQOS).
 */
class PodResourcesTest {
    static JsonNode spec(String json) {
        try {
            return new ObjectMapper().readTree(json.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @ParameterizedTest(name = "{0} podLevel={2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            pod-level only           | {'resources':{'requests':{'cpu':'1'}},'containers':[{'name':'c'}]} | true  | {cpu=1}   | false
            pod-level only           | {'resources':{'requests':{'cpu':'1'}},'containers':[{'name':'c'}]} | false | {}        | true
            pod-level over container | {'resources':{'requests':{'cpu':'2'}},'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]} | true | {cpu=2} | false
            pod-level over container | {'resources':{'requests':{'cpu':'2'}},'containers':[{'name':'c','resources':{'requests':{'cpu':'1'}}}]} | false | {cpu=1} | false
            """)
    void podLevelResourcesCountOnlyWithTheGate(
            String name, String spec, boolean podLevel, String requests, boolean bestEffort) {
        assertEquals(
                requests, PodResources.requests(spec(spec), false, podLevel).toString());
        assertEquals(bestEffort, PodResources.isBestEffort(spec(spec), podLevel));
    }
}
