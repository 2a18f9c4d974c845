package io.kubetwin.apiserver.registry.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Merges of an applied configuration into a live object, item order included, as typed/merge.go orders them: live
 * items the configuration does not name keep their place, named ones follow the configuration's order.
 */
class TypedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            {"type":"object","properties":{
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                       "items":{"type":"object","properties":{"name":{"type":"string"},"port":{"type":"integer"}}}},
              "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
              "args":{"type":"array","items":{"type":"string"}},
              "selector":{"type":"object","x-kubernetes-map-type":"atomic","additionalProperties":{"type":"string"}},
              "labels":{"type":"object","additionalProperties":{"type":"string"}}}}""";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            map list reordered | {"ports":[{"name":"a"},{"name":"b"},{"name":"c"}]} | {"ports":[{"name":"c"},{"name":"a","port":1}]} | {"ports":[{"name":"b"},{"name":"c"},{"name":"a","port":1}]}
            map list appended | {"ports":[{"name":"a","port":1}]} | {"ports":[{"name":"b","port":2}]} | {"ports":[{"name":"a","port":1},{"name":"b","port":2}]}
            set merged | {"tags":["x","y"]} | {"tags":["z","x"]} | {"tags":["z","x","y"]}
            atomic list replaced | {"args":["1","2"]} | {"args":["3"]} | {"args":["3"]}
            atomic map replaced | {"selector":{"a":"1"}} | {"selector":{"b":"2"}} | {"selector":{"b":"2"}}
            granular map merged | {"labels":{"a":"1"}} | {"labels":{"b":"2"}} | {"labels":{"a":"1","b":"2"}}
            """)
    void merge(String what, String live, String config, String merged) throws Exception {
        SchemaType type = SchemaType.of(JSON.readTree(SCHEMA), ref -> SchemaType.DEDUCED);
        assertEquals(JSON.readTree(merged), Typed.merge(JSON.readTree(live), JSON.readTree(config), type));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            map list items and their fields | {"ports":[{"name":"a","port":1}]} | {"f:ports":{"k:{\\"name\\":\\"a\\"}":{".":{},"f:name":{},"f:port":{}}}}
            set values | {"tags":["x"]} | {"f:tags":{"v:\\"x\\"":{}}}
            atomic list and map as one field | {"args":["1"],"selector":{"a":"1"}} | {"f:args":{},"f:selector":{}}
            map keys without the map itself | {"labels":{"a":"1"}} | {"f:labels":{"f:a":{}}}
            """)
    void appliedFields(String what, String config, String fieldsV1) throws Exception {
        SchemaType type = SchemaType.of(JSON.readTree(SCHEMA), ref -> SchemaType.DEDUCED);
        assertEquals(
                fieldsV1,
                Typed.toFieldSet(JSON.readTree(config), type).toFieldsV1().toString());
    }
}
