package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TypeMetaFieldsTest {
    /** SimpleMetaFactory.Interpret's errors, "-" for none; the stream and the tree agree. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"apiVersion":"v1","kind":"ConfigMap"} | -
            {"kind":null,"data":{"kind":1}} | -
            {"apiVersion":"v1","kind":1} | json: cannot unmarshal number into Go struct field .kind of type string
            {"KIND":true} | json: cannot unmarshal bool into Go struct field .kind of type string
            {"metadata":{},"ApiVersion":[1],"kind":{}} | json: cannot unmarshal array into Go struct field .apiVersion of type string
            {"kind":{"a":1}} | json: cannot unmarshal object into Go struct field .kind of type string
            """)
    void interpret(String json, String expected) throws Exception {
        String want = expected.equals("-") ? null : "couldn't get version/kind; json parse error: " + expected;
        assertEquals(want, TypeMetaFields.error(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(want, TypeMetaFields.error(new ObjectMapper().readTree(json)));
    }
}
