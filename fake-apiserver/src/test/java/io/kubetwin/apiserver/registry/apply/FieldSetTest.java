package io.kubetwin.apiserver.registry.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FieldsV1 read and written back in structured-merge-diff's order, and the paths conflicts print. */
class FieldSetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fields and a member with children | {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:data":{"f:a":{}}} | {"f:data":{"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}} | .data.a;.metadata.labels;.metadata.labels.app
            keys sorted, fields before keys | {"f:ports":{"k:{\\"protocol\\":\\"TCP\\",\\"containerPort\\":80}":{".":{},"f:name":{}},"f:x":{}}} | {"f:ports":{"f:x":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{}}}} | .ports.x;.ports[containerPort=80,protocol="TCP"];.ports[containerPort=80,protocol="TCP"].name
            set values and indexes | {"f:finalizers":{"v:\\"b\\"":{},"v:\\"a\\"":{}},"f:list":{"i:1":{},"i:0":{}}} | {"f:finalizers":{"v:\\"a\\"":{},"v:\\"b\\"":{}},"f:list":{"i:0":{},"i:1":{}}} | .finalizers[="a"];.finalizers[="b"];.list[0];.list[1]
            unknown key types are dropped | {"f:a":{},"z:what":{}} | {"f:a":{}} | .a
            """)
    void roundTrip(String what, String fieldsV1, String written, String paths) throws Exception {
        JsonNode in = JSON.readTree(fieldsV1);
        FieldSet set = FieldSet.fromFieldsV1(in);
        assertEquals(written, set.toFieldsV1().toString());
        assertEquals(paths.replace(';', '\n'), set.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            difference keeps subtrees | {"f:a":{"f:b":{},"f:c":{}}} | {"f:a":{"f:b":{}}} | {"f:a":{"f:c":{}}}
            recursive difference drops owned subtrees | {"f:a":{"f:b":{}},"f:d":{}} | {"f:a":{}} | {"f:d":{}}
            """)
    void differences(String what, String left, String right, String expected) throws Exception {
        FieldSet l = FieldSet.fromFieldsV1(JSON.readTree(left));
        FieldSet r = FieldSet.fromFieldsV1(JSON.readTree(right));
        FieldSet result = what.startsWith("recursive") ? l.recursiveDifference(r) : l.difference(r);
        assertEquals(expected, result.toFieldsV1().toString());
    }
}
