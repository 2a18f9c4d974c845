package io.kubetwin.apiserver.registry.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a field path (fieldpath/element.go): a field name, the key fields of an associative-list item, the
 * value of a set item, or the index of an atomic-list item. Ordered field &lt; key &lt; value &lt; index, each by
 * its content; written in FieldsV1 as {@code f:}, {@code k:}, {@code v:}, {@code i:} (serialize-pe.go).
 */
sealed interface PathElement extends Comparable<PathElement> {
    ObjectMapper JSON = new ObjectMapper();

    record Field(String name) implements PathElement {}

    /** Key fields sorted by name. */
    record Key(List<Map.Entry<String, JsonNode>> fields) implements PathElement {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && compareTo(k) == 0;
        }

        @Override
        public int hashCode() {
            return fields.size();
        }
    }

    record Value(JsonNode value) implements PathElement {
        @Override
        public boolean equals(Object o) {
            return o instanceof Value v && Values.equal(value, v.value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    record Index(int index) implements PathElement {}

    private int rank() {
        return this instanceof Field ? 0 : this instanceof Key ? 1 : this instanceof Value ? 2 : 3;
    }

    @Override
    default int compareTo(PathElement o) {
        int c = Integer.compare(rank(), o.rank());
        if (c != 0) {
            return c;
        }
        if (this instanceof Field f) {
            return GoText.ORDER.compare(f.name(), ((Field) o).name());
        }
        if (this instanceof Key k) {
            List<Map.Entry<String, JsonNode>> a = k.fields();
            List<Map.Entry<String, JsonNode>> b = ((Key) o).fields();
            for (int i = 0; ; i++) {
                if (i >= a.size() && i >= b.size()) {
                    return 0;
                }
                if (i >= a.size()) {
                    return -1;
                }
                if (i >= b.size()) {
                    return 1;
                }
                c = GoText.ORDER.compare(a.get(i).getKey(), b.get(i).getKey());
                if (c != 0) {
                    return c;
                }
                c = Values.compare(a.get(i).getValue(), b.get(i).getValue());
                if (c != 0) {
                    return c;
                }
            }
        }
        if (this instanceof Value v) {
            return Values.compare(v.value(), ((Value) o).value());
        }
        return Integer.compare(((Index) this).index(), ((Index) o).index());
    }

    /** PathElement.String: {@code .name}, {@code [k=v,...]}, {@code [=v]}, {@code [i]}. */
    default String goString() {
        if (this instanceof Field f) {
            return "." + f.name();
        }
        if (this instanceof Key k) {
            List<String> parts = new ArrayList<>();
            k.fields().forEach(e -> parts.add(e.getKey() + "=" + Values.toGoString(e.getValue())));
            return "[" + String.join(",", parts) + "]";
        }
        if (this instanceof Value v) {
            return "[=" + Values.toGoString(v.value()) + "]";
        }
        return "[" + ((Index) this).index() + "]";
    }

    /** The FieldsV1 key. */
    default String serialize() {
        if (this instanceof Field f) {
            return "f:" + f.name();
        }
        if (this instanceof Key k) {
            ObjectNode o = JSON.createObjectNode();
            k.fields().forEach(e -> o.set(e.getKey(), e.getValue()));
            return "k:" + Values.json(o);
        }
        if (this instanceof Value v) {
            return "v:" + Values.json(v.value());
        }
        return "i:" + ((Index) this).index();
    }

    /** A FieldsV1 key back to its element; null for a type this version does not know (ignored, as upstream). */
    static PathElement deserialize(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IllegalArgumentException("key must be 2 characters long: " + s);
        }
        String body = s.substring(2);
        try {
            switch (s.charAt(0)) {
                case 'f':
                    return new Field(body);
                case 'v':
                    return new Value(JSON.readTree(body));
                case 'i':
                    return new Index(Integer.parseInt(body));
                case 'k':
                    JsonNode o = JSON.readTree(body);
                    if (!o.isObject()) {
                        throw new IllegalArgumentException("invalid key " + s);
                    }
                    return key(o);
                default:
                    return null;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage());
        }
    }

    static Key key(JsonNode fields) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        fields.fields().forEachRemaining(e -> list.add(Map.entry(e.getKey(), e.getValue())));
        list.sort(Map.Entry.comparingByKey(GoText.ORDER));
        return new Key(List.copyOf(list));
    }
}
