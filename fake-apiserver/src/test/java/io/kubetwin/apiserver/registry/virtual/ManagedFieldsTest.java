package io.kubetwin.apiserver.registry.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The field manager's entry for a create: every expected fieldsV1 below was observed on kube-apiserver v1.34.4
 * for the same body (the decoding schema is GoJsonDecoderTest's SubjectAccessReview-like type).
 */
class ManagedFieldsTest {
    private static final Instant TIME = Instant.parse("2026-11-22T16:53:01Z");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            leaf in a struct present when empty | {"spec":{"user":"bob"}}                                        | {"f:spec":{"f:user":{}}}
            pointer struct is added with '.'   | {"spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}} | {"f:spec":{"f:resourceAttributes":{".":{},"f:resource":{},"f:verb":{}}}}
            added empty object is a leaf       | {"spec":{"resourceAttributes":{}}}                              | {"f:spec":{"f:resourceAttributes":{}}}
            map entries, nulls too             | {"spec":{"extra":{"a":null,"b":[]}}}                            | {"f:spec":{"f:extra":{".":{},"f:a":{},"f:b":{}}}}
            atomic list                        | {"spec":{"groups":["a","b"]}}                                   | {"f:spec":{"f:groups":{}}}
            null to empty list is a change     | {"spec":{"audiences":[]}}                                       | {"f:spec":{"f:audiences":{}}}
            labels, name and namespace stripped | {"metadata":{"name":"x","namespace":"y","labels":{"a":"b"}}}  | {"f:metadata":{"f:labels":{".":{},"f:a":{}}}}
            status leaves that differ          | {"status":{"allowed":true,"reason":"r"}}                        | {"f:status":{"f:allowed":{},"f:reason":{}}}
            status left at zero                | {"status":{"allowed":false}}                                    | none
            only server-owned fields           | {"kind":"K","apiVersion":"v","metadata":{"name":"x"}}           | none
            """)
    void recordsWhatTheRequestSet(String name, String body, String expected) throws Exception {
        GoType.Struct type = GoJsonDecoderTest.REVIEW;
        JsonNode created = GoValues.encode(
                GoJsonDecoder.decode(new ObjectMapper().readTree(body), type).value(), type);
        Optional<ObjectNode> entry = ManagedFields.entry(
                created, GoValues.encode(GoValues.zero(type), type), "kubectl", "authorization.k8s.io/v1", TIME, "");
        assertEquals(expected, entry.map(e -> e.get("fieldsV1").toString()).orElse("none"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            user agent prefix       |        | kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07 | kubectl
            fieldManager wins       | my-mgr | curl/8.5.0                                       | my-mgr
            no user agent           |        |                                                  | unknown
            no slash                |        | python-urllib                                    | python-urllib
            """)
    void namesTheManager(String name, String fieldManager, String userAgent, String expected) {
        assertEquals(expected, ManagedFields.manager(fieldManager, userAgent));
    }

    @Test
    void entryCarriesTimeVersionAndSubresource() throws Exception {
        GoType.Struct type = GoJsonDecoderTest.REVIEW;
        JsonNode created = GoValues.encode(
                GoJsonDecoder.decode(new ObjectMapper().readTree("{\"spec\":{\"user\":\"u\"}}"), type)
                        .value(),
                type);
        assertEquals(
                "{\"manager\":\"kubectl\",\"operation\":\"Update\",\"apiVersion\":\"authentication.k8s.io/v1\","
                        + "\"time\":\"2026-11-22T16:53:01Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:user\":{}}},"
                        + "\"subresource\":\"token\"}",
                ManagedFields.entry(
                                created,
                                GoValues.encode(GoValues.zero(type), type),
                                "kubectl",
                                "authentication.k8s.io/v1",
                                TIME.plusMillis(900),
                                "token")
                        .orElseThrow()
                        .toString());
    }
}
