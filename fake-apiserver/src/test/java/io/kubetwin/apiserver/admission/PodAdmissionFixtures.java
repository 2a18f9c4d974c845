package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;

/** Small builders for the pod admission plugins' tests. */
final class PodAdmissionFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = "ns";

    private PodAdmissionFixtures() {}

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** A pod named {@code p} with that spec. */
    static ObjectNode pod(String spec) {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":" + spec + "}");
    }

    /** A pod named {@code p} with those annotations and that spec. */
    static ObjectNode pod(String annotations, String spec) {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"annotations\":"
                + annotations + "},\"spec\":" + spec + "}");
    }

    static AdmissionAttributes create(ObjectNode pod) {
        return attrs(Operation.CREATE, "pods", "", pod, null);
    }

    static AdmissionAttributes attrs(
            Operation op, String resource, String subresource, ObjectNode object, ObjectNode old) {
        String name = object == null ? "" : object.path("metadata").path("name").asText("");
        return new AdmissionAttributes(
                op,
                object,
                old,
                "",
                "v1",
                "pods".equals(resource) ? "Pod" : "ConfigMap",
                "",
                resource,
                subresource,
                NS,
                name,
                UserInfo.of("u"),
                false);
    }

    /** "-" for success, else the code and message of the StatusException. */
    static String outcome(Future<Void> f) {
        if (f.succeeded()) {
            return "-";
        }
        if (f.cause() instanceof StatusException e) {
            return e.code() + " " + e.getMessage();
        }
        throw new AssertionError("not a Status error", f.cause());
    }
}
