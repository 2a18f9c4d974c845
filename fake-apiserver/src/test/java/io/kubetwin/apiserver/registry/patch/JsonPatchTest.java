package io.kubetwin.apiserver.registry.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * evanphx/json-patch v4's semantics (the library kube-apiserver applies JSON patches with), where they depart from
 * RFC 6902; each row's outcome as kube-apiserver v1.34.4 answered the same patch (dryRun=All) on a ConfigMap with
 * data {@code {"a":"b"}} and two finalizers standing for {@code list} (200 and the result, or 422), with curl.
 */
class JsonPatchTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC = "{\"data\":{\"a\":\"b\"},\"list\":[1,2,3]}";

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // the first segment of a path is dropped whatever it holds
                "[{\"op\":\"add\",\"path\":\"data/x\",\"value\":\"y\"}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3],\"x\":\"y\"}",
                "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3],\"\":1}",
                // replace of a missing object key adds it
                "[{\"op\":\"replace\",\"path\":\"/data/x\",\"value\":\"y\"}] | {\"data\":{\"a\":\"b\",\"x\":\"y\"},\"list\":[1,2,3]}",
                // a missing value is nil: added as null, and a test against null passes on a missing key
                "[{\"op\":\"add\",\"path\":\"/data/x\"}] | {\"data\":{\"a\":\"b\",\"x\":null},\"list\":[1,2,3]}",
                "[{\"op\":\"test\",\"path\":\"/data/x\",\"value\":null}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3]}",
                "[{\"op\":\"copy\",\"from\":\"/data/x\",\"path\":\"/data/y\"}] | {\"data\":{\"a\":\"b\",\"y\":null},\"list\":[1,2,3]}",
                // indices take a sign; negative ones count from the end
                "[{\"op\":\"add\",\"path\":\"/list/-1\",\"value\":9}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3,9]}",
                "[{\"op\":\"add\",\"path\":\"/list/+0\",\"value\":9}] | {\"data\":{\"a\":\"b\"},\"list\":[9,1,2,3]}",
                "[{\"op\":\"remove\",\"path\":\"/list/-3\"}] | {\"data\":{\"a\":\"b\"},\"list\":[2,3]}",
                "[{\"op\":\"replace\",\"path\":\"/list/-1\",\"value\":0}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,0]}",
                "[{\"op\":\"add\",\"path\":\"/list/-\",\"value\":4}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3,4]}",
                "[{\"op\":\"move\",\"from\":\"/data/a\",\"path\":\"/data/c\"}] | {\"data\":{\"c\":\"b\"},\"list\":[1,2,3]}",
                "[{\"op\":\"test\",\"path\":\"/list\",\"value\":[1,2,3]}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3]}",
                "[{\"op\":\"add\",\"path\":\"/data~1x\",\"value\":1}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3],\"data/x\":1}",
                // errors.Wrapf of a nil error: replacing the document with a scalar is no error and no change
                "[{\"op\":\"replace\",\"path\":\"\",\"value\":1}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3]}"
            })
    void appliesAsV4(String patch, String result) throws Exception {
        assertEquals(json(result), JsonPatch.apply(json(DOC), json(patch)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[{\"op\":\"remove\",\"path\":\"/data/nothing\"}]",
                "[{\"op\":\"add\",\"path\":\"/nothing/x\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/data/a/x\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"\",\"value\":1}]",
                "[{\"op\":\"add\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/list/5\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/list/-5\",\"value\":1}]",
                "[{\"op\":\"add\",\"path\":\"/list/x\",\"value\":1}]",
                "[{\"op\":\"replace\",\"path\":\"/list/3\",\"value\":1}]",
                "[{\"op\":\"remove\",\"path\":\"/list/3\"}]",
                "[{\"op\":\"move\",\"from\":\"/data/nothing\",\"path\":\"/data/c\"}]",
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"c\"}]",
                "[{\"op\":\"test\",\"path\":\"/data/x\",\"value\":1}]",
                "[{\"op\":\"frob\",\"path\":\"/data/x\"}]",
                "[null]"
            })
    void failsAsV4(String patch) throws Exception {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(json(DOC), json(patch)));
        assertEquals(PatchException.Kind.UNPROCESSABLE, e.kind(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"op\":\"add\"} | error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp",
                "[1] | error decoding patch: json: cannot unmarshal number into Go value of type handlers.jsonPatchOp",
                "[{\"op\":1}] | error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string",
                "[{\"op\":\"add\",\"path\":[]}] | error decoding patch: json: cannot unmarshal array into Go struct field jsonPatchOp.path of type string"
            })
    void undecodableOperationsAreBadRequests(String patch, String message) throws Exception {
        PatchException e = assertThrows(PatchException.class, () -> JsonPatch.apply(json(DOC), json(patch)));
        assertEquals(PatchException.Kind.BAD_REQUEST, e.kind());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {"[{\"op\":\"remove\",\"path\":\"/data/a\"}] | {\"data\":{\"a\":\"b\"},\"list\":[1,2,3]}"})
    void theTargetIsNotModified(String patch, String unchanged) throws Exception {
        JsonNode doc = json(DOC);
        JsonPatch.apply(doc, json(patch));
        assertEquals(json(unchanged), doc);
    }
}
