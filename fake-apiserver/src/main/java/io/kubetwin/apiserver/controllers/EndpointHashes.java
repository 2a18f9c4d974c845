package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The orders upstream derives from hashes, so that subsets and ports come out in the reference's order: the md5 of
 * what go-spew prints with {@code %#v} (hashutil.DeepHashObject: types shown, no pointer addresses, methods off) for
 * the Go structs v1.EndpointPort, v1.EndpointSubset (pkg/api/v1/endpoints/util.go SortSubsets) and discovery/v1
 * EndpointPort (k8s.io/endpointslice/util NewPortMapKey). Elements of a slice print without their type; a nil
 * pointer or slice prints {@code <nil>} after its type.
 */
final class EndpointHashes {
    private EndpointHashes() {}

    /** md5 hex of a core v1 EndpointPort as JSON ({@code name}, {@code port}, {@code protocol}, {@code appProtocol}). */
    static String corePort(JsonNode port) {
        return md5("(v1.EndpointPort)" + corePortFields(port));
    }

    /** md5 hex of a v1.EndpointSubset (addresses, notReadyAddresses, ports; absent lists are nil). */
    static String subset(JsonNode subset) {
        StringBuilder b = new StringBuilder("(v1.EndpointSubset){Addresses:");
        addresses(b, subset.get("addresses"));
        b.append(" NotReadyAddresses:");
        addresses(b, subset.get("notReadyAddresses"));
        b.append(" Ports:([]v1.EndpointPort)");
        JsonNode ports = subset.get("ports");
        if (ports == null || ports.isNull()) {
            b.append("<nil>");
        } else {
            b.append('[');
            for (int i = 0; i < ports.size(); i++) {
                b.append(i > 0 ? " " : "").append(corePortFields(ports.get(i)));
            }
            b.append(']');
        }
        return md5(b.append('}').toString());
    }

    /** md5 hex of a discovery/v1 EndpointPort, whose fields are all pointers. */
    static String slicePort(JsonNode port) {
        return md5("(v1.EndpointPort){Name:" + pointer("string", port.get("name"))
                + " Protocol:" + pointer("v1.Protocol", port.get("protocol"))
                + " Port:" + pointer("int32", port.get("port"))
                + " AppProtocol:" + pointer("string", port.get("appProtocol")) + "}");
    }

    private static String corePortFields(JsonNode port) {
        return "{Name:(string)" + port.path("name").asText("")
                + " Port:(int32)" + port.path("port").asInt()
                + " Protocol:(v1.Protocol)" + port.path("protocol").asText("")
                + " AppProtocol:" + pointer("string", port.get("appProtocol")) + "}";
    }

    private static void addresses(StringBuilder b, JsonNode list) {
        b.append("([]v1.EndpointAddress)");
        if (list == null || list.isNull()) {
            b.append("<nil>");
            return;
        }
        b.append('[');
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            b.append(i > 0 ? " " : "")
                    .append("{IP:(string)")
                    .append(a.path("ip").asText(""))
                    .append(" Hostname:(string)")
                    .append(a.path("hostname").asText(""))
                    .append(" NodeName:")
                    .append(pointer("string", a.get("nodeName")))
                    .append(" TargetRef:");
            JsonNode ref = a.get("targetRef");
            if (ref == null || ref.isNull()) {
                b.append("(*v1.ObjectReference)<nil>");
            } else {
                b.append("(*v1.ObjectReference){Kind:(string)")
                        .append(ref.path("kind").asText(""))
                        .append(" Namespace:(string)")
                        .append(ref.path("namespace").asText(""))
                        .append(" Name:(string)")
                        .append(ref.path("name").asText(""))
                        .append(" UID:(types.UID)")
                        .append(ref.path("uid").asText(""))
                        .append(" APIVersion:(string)")
                        .append(ref.path("apiVersion").asText(""))
                        .append(" ResourceVersion:(string)")
                        .append(ref.path("resourceVersion").asText(""))
                        .append(" FieldPath:(string)")
                        .append(ref.path("fieldPath").asText(""))
                        .append('}');
            }
            b.append('}');
        }
        b.append(']');
    }

    private static String pointer(String type, JsonNode value) {
        return "(*" + type + ")" + (value == null || value.isNull() ? "<nil>" : value.asText());
    }

    private static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
