package io.kubetwin.apiserver.registry.virtual;

import static io.kubetwin.apiserver.registry.virtual.GoType.INT64;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRING;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRINGS;
import static io.kubetwin.apiserver.registry.virtual.GoType.field;
import static io.kubetwin.apiserver.registry.virtual.GoType.optional;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoding as kube-apiserver's JSON serializer does, and writing back as encoding/json does. The error texts
 * were observed on kube-apiserver v1.34.4 for the same shapes (TokenReview, SubjectAccessReview, TokenRequest).
 */
class GoJsonDecoderTest {
    static final GoType.Struct ATTRIBUTES =
            GoType.Struct.of("v1.ResourceAttributes", optional("verb", STRING), optional("resource", STRING));
    static final GoType.Struct SPEC = GoType.Struct.of(
            "v1.SubjectAccessReviewSpec",
            optional("resourceAttributes", new GoType.Ptr(ATTRIBUTES)),
            optional("user", STRING),
            optional("groups", STRINGS),
            optional("extra", KubeTypes.extraMap("v1")),
            optional("expirationSeconds", new GoType.Ptr(INT64)),
            field("audiences", STRINGS));
    static final GoType.Struct REVIEW = KubeTypes.object(
            "v1.SubjectAccessReview",
            field("spec", SPEC),
            optional(
                    "status",
                    GoType.Struct.of(
                            "v1.SubjectAccessReviewStatus",
                            field("allowed", GoType.BOOL),
                            optional("reason", STRING))));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            empty object        | {}                                                   | {"metadata":{},"spec":{"audiences":null},"status":{"allowed":false}}
            omitempty drops     | {"spec":{"user":"","groups":[],"extra":{}}}          | {"metadata":{},"spec":{"audiences":null},"status":{"allowed":false}}
            nil vs empty        | {"spec":{"audiences":[]}}                            | {"metadata":{},"spec":{"audiences":[]},"status":{"allowed":false}}
            pointer to empty    | {"spec":{"resourceAttributes":{}}}                   | {"metadata":{},"spec":{"resourceAttributes":{},"audiences":null},"status":{"allowed":false}}
            null pointer        | {"spec":{"resourceAttributes":null}}                 | {"metadata":{},"spec":{"audiences":null},"status":{"allowed":false}}
            null struct kept    | {"spec":null,"status":null}                          | {"metadata":{},"spec":{"audiences":null},"status":{"allowed":false}}
            field order         | {"spec":{"groups":["g"],"user":"u"},"kind":"K"}      | {"kind":"K","metadata":{},"spec":{"user":"u","groups":["g"],"audiences":null},"status":{"allowed":false}}
            map keys sorted     | {"spec":{"extra":{"b":["1"],"a":null}}}              | {"metadata":{},"spec":{"extra":{"a":null,"b":["1"]},"audiences":null},"status":{"allowed":false}}
            last duplicate wins | {"spec":{"user":"a","user":"b"}}                     | {"metadata":{},"spec":{"user":"b","audiences":null},"status":{"allowed":false}}
            time omitzero       | {"metadata":{"creationTimestamp":null,"name":"n"}}   | {"metadata":{"name":"n"},"spec":{"audiences":null},"status":{"allowed":false}}
            """)
    void writesWhatEncodingJsonWrites(String name, String body, String expected) {
        GoJsonDecoder.Result r = decode(body);
        assertEquals(null, r.typeError());
        assertEquals(expected, GoValues.encode(r.value(), REVIEW).toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            string for struct | {"spec":{"resourceAttributes":"x"}}  | json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.resourceAttributes of type v1.ResourceAttributes
            string for slice  | {"spec":{"groups":"g"}}               | json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.groups of type []string
            number for string | {"spec":{"user":5}}                   | json: cannot unmarshal number into Go struct field SubjectAccessReviewSpec.spec.user of type string
            string for int64  | {"spec":{"expirationSeconds":"700"}}  | json: cannot unmarshal string into Go struct field SubjectAccessReviewSpec.spec.expirationSeconds of type int64
            fraction          | {"spec":{"expirationSeconds":700.5}}  | json: cannot unmarshal number 700.5 into Go struct field SubjectAccessReviewSpec.spec.expirationSeconds of type int64
            nested leaf       | {"spec":{"resourceAttributes":{"verb":true}}} | json: cannot unmarshal bool into Go struct field ResourceAttributes.spec.resourceAttributes.verb of type string
            first one wins    | {"spec":{"user":1,"groups":2}}        | json: cannot unmarshal number into Go struct field SubjectAccessReviewSpec.spec.user of type string
            top-level field   | {"spec":[]}                           | json: cannot unmarshal array into Go struct field SubjectAccessReview.spec of type v1.SubjectAccessReviewSpec
            """)
    void reportsTheFirstTypeMismatchAsGo(String name, String body, String expected) {
        assertEquals(expected, decode(body).typeError());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            none                 | {"spec":{"user":"u"}}                                    | []
            unknown and dup      | {"spec":{"user":"a","zzz":1,"user":"b"},"yy":2}          | [unknown field "spec.zzz", duplicate field "spec.user", unknown field "yy"]
            inside a pointer     | {"spec":{"resourceAttributes":{"verb":"get","x":{}}}}    | [unknown field "spec.resourceAttributes.x"]
            """)
    void collectsStrictErrorsInDocumentOrder(String name, String body, String expected) {
        assertEquals(expected, decode(body).strictErrors().toString());
    }

    private static GoJsonDecoder.Result decode(String body) {
        try (JsonParser parser = new JsonFactory().createParser(body)) {
            return GoJsonDecoder.decode(parser, REVIEW);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
