package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.registry.GoFieldOrder;
import io.kubetwin.apiserver.storage.ObjectCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values kube-apiserver v1.34.4 stores in etcd: built-in kinds in the protobuf encoding
 * ({@link ProtobufEncoder}, its default --storage-media-type), except the CustomResourceDefinitions and APIServices,
 * which apiextensions-apiserver and kube-aggregator store as JSON (their DefaultStorageMediaType), and custom resources
 * as JSON, written from Go's map[string]interface{} (keys sorted at every level); JSON values end with encoding/json
 * Encoder's newline. Reading accepts both encodings whatever the kind, so values written as JSON by earlier fakes
 * still load.
 *
 * <p>Stateless and thread-safe.
 */
public final class StorageCodec implements ObjectCodec {
    /** The groups whose built-in kinds are stored as JSON (cmd/kube-apiserver/app/apiextensions.go, aggregator.go). */
    private static final Set<String> JSON_GROUPS = Set.of("apiextensions.k8s.io", "apiregistration.k8s.io");

    @Override
    public byte[] encode(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (ProtobufEncoder.supports(apiVersion, kind) && !JSON_GROUPS.contains(group)) {
            return ProtobufEncoder.encode(object);
        }
        boolean typed = JSON_GROUPS.contains(group) && ProtobufEncoder.supports(apiVersion, kind);
        try {
            byte[] json = GoJson.mapper().writeValueAsBytes(typed ? object : sortedKeys(object));
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    @Override
    public ObjectNode decode(byte[] value) {
        if (ProtobufSchema.hasMagic(value)) {
            ObjectNode object = ProtobufDecoder.decode(value).object();
            if (object == null) {
                throw new IllegalArgumentException("no protobuf form for this kind");
            }
            GoFieldOrder.apply(object);
            return object;
        }
        JsonNode tree;
        try {
            tree = GoJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!(tree instanceof ObjectNode o)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return o;
    }

    /** A copy with object keys sorted as Go sorts a map's keys (byte order of their UTF-8), at every level. */
    private static JsonNode sortedKeys(JsonNode node) {
        if (node instanceof ObjectNode o) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                entries.add(it.next());
            }
            entries.sort((a, b) -> ProtobufEncoder.goCompare(a.getKey(), b.getKey()));
            ObjectNode sorted = o.objectNode();
            for (Map.Entry<String, JsonNode> e : entries) {
                sorted.set(e.getKey(), sortedKeys(e.getValue()));
            }
            return sorted;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode copy = a.arrayNode();
            for (JsonNode item : a) {
                copy.add(sortedKeys(item));
            }
            return copy;
        }
        return node;
    }
}
