package io.kubetwin.apiserver.registry.kinds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What PodStrategy adds for pods as the reference stores and validates them (texts recorded from v1.34.4). */
class PodStrategyTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PodStrategy STRATEGY = new PodStrategy(Capabilities.defaults());

    static ObjectNode pod(String annotations, String spec) {
        try {
            return (ObjectNode) JSON.readTree(
                    "{\"metadata\":{\"name\":\"p\",\"annotations\":" + annotations + "},\"spec\":" + spec + "}");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static String render(List<FieldError> errs) {
        return errs.stream().map(e -> e.field() + ": " + e.detail()).collect(Collectors.joining("; "));
    }

    static final String C =
            "\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"terminationMessagePolicy\":\"File\",\"imagePullPolicy\":\"Always\"}],"
                    + "\"restartPolicy\":\"Always\",\"dnsPolicy\":\"ClusterFirst\"";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain pod | {} | {$C} | ''
            mirror pod on a node | {"kubernetes.io/config.mirror":"x"} | {$C,"nodeName":"n"} | ''
            mirror pod without node | {"kubernetes.io/config.mirror":"x"} | {$C} | metadata.annotations[kubernetes.io/config.mirror]: must set spec.nodeName if mirror pod annotation is set
            token projection without account | {} | {$C,"volumes":[{"name":"a","emptyDir":{}},{"name":"t","projected":{"sources":[{"configMap":{"name":"x"}},{"serviceAccountToken":{"path":"t"}}]}}]} | spec.volumes[1].projected.sources[1].serviceAccountToken: must not be specified when serviceAccountName is not set
            token projection with account | {} | {$C,"serviceAccountName":"sa","volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"path":"t"}}]}}]} | ''
            ephemeral containers on create | {} | {$C,"ephemeralContainers":[{"name":"e","image":"i","terminationMessagePolicy":"File","imagePullPolicy":"Always"}]} | spec.ephemeralContainers: cannot be set on create
            """)
    void validatesCreate(String what, String annotations, String spec, String expected) {
        assertEquals(expected, render(STRATEGY.validate(pod(annotations, spec.replace("$C", C)))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unchanged | {"kubernetes.io/config.mirror":"x"} | {"kubernetes.io/config.mirror":"x"} | ''
            added | {} | {"kubernetes.io/config.mirror":"x"} | metadata.annotations[kubernetes.io/config.mirror]: may not add mirror pod annotation
            changed | {"kubernetes.io/config.mirror":"x"} | {"kubernetes.io/config.mirror":"y"} | metadata.annotations[kubernetes.io/config.mirror]: may not remove or update mirror pod annotation
            removed | {"kubernetes.io/config.mirror":"x"} | {} | metadata.annotations[kubernetes.io/config.mirror]: may not remove or update mirror pod annotation
            """)
    void mirrorAnnotationIsFixed(String what, String before, String after, String expected) {
        String spec = "{" + C + ",\"nodeName\":\"n\"}";
        assertEquals(expected, render(STRATEGY.validateUpdate(pod(after, spec), pod(before, spec))));
    }

    @Test
    void anAddedMirrorAnnotationWithoutNodeIsReportedAsUpstreamDoesTwice() {
        String spec = "{" + C + "}";
        String invalid =
                "metadata.annotations[kubernetes.io/config.mirror]: must set spec.nodeName if mirror pod annotation is set";
        assertEquals(
                invalid + "; metadata.annotations[kubernetes.io/config.mirror]: may not add mirror pod annotation; "
                        + invalid,
                render(STRATEGY.validateUpdate(pod("{\"kubernetes.io/config.mirror\":\"x\"}", spec), pod("{}", spec))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            account name only | {"serviceAccountName":"a"} | a | a
            deprecated alias only | {"serviceAccount":"b"} | b | b
            the name wins over the alias | {"serviceAccountName":"a","serviceAccount":"b"} | a | a
            neither | {} | '' | ''
            """)
    void deprecatedServiceAccountMirrorsTheName(String what, String spec, String name, String alias) {
        ObjectNode pod = pod("{}", spec);
        STRATEGY.applyDefaults(pod);
        assertEquals(name, pod.at("/spec/serviceAccountName").asText(""));
        assertEquals(alias, pod.at("/spec/serviceAccount").asText(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no source | {"name":"v"} | {"name":"v","emptyDir":{}}
            hostPath type | {"name":"v","hostPath":{"path":"/"}} | {"name":"v","hostPath":{"path":"/","type":""}}
            secret mode | {"name":"v","secret":{"secretName":"s","optional":true}} | {"name":"v","secret":{"secretName":"s","defaultMode":420,"optional":true}}
            given mode kept | {"name":"v","secret":{"secretName":"s","defaultMode":256}} | {"name":"v","secret":{"secretName":"s","defaultMode":256}}
            configMap mode | {"name":"v","configMap":{"name":"c","optional":true}} | {"name":"v","configMap":{"name":"c","defaultMode":420,"optional":true}}
            downwardAPI | {"name":"v","downwardAPI":{"items":[{"path":"p","fieldRef":{"fieldPath":"metadata.name"}}]}} | {"name":"v","downwardAPI":{"items":[{"path":"p","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}],"defaultMode":420}}
            projected | {"name":"v","projected":{"sources":[{"serviceAccountToken":{"path":"t","audience":"a"}}]}} | {"name":"v","projected":{"sources":[{"serviceAccountToken":{"audience":"a","expirationSeconds":3600,"path":"t"}}],"defaultMode":420}}
            """)
    void defaultsVolumesInGoOrder(String what, String volume, String expected) {
        ObjectNode pod = pod("{}", "{\"volumes\":[" + volume + "]}");
        STRATEGY.applyDefaults(pod);
        Meta.normalize(pod, STRATEGY);
        assertEquals(expected, pod.at("/spec/volumes/0").toString());
    }
}
