package io.kubetwin.apiserver.registry.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.GoFieldOrder;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Field;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Label;
import io.kubetwin.apiserver.registry.codec.ProtobufSchema.Message;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * The zero {@code metav1.Time} and {@code metav1.MicroTime} of a built-in object as kube-apiserver v1.34.4 writes
 * them. Their MarshalJSON writes {@code null} for the zero time, and encoding/json's {@code omitempty} never leaves a
 * struct out, so a non-pointer time field of a present struct is {@code null} when a client left it out or sent the
 * zero time ({@code PodCondition.lastProbeTime}, {@code NodeCondition.lastHeartbeatTime}, {@code Event.eventTime},
 * {@code ContainerStateRunning.startedAt}, ...). Only {@code omitzero} leaves it out (v0.34's
 * {@code ObjectMeta.creationTimestamp}), and a pointer field is out when nil. Which fields are which is read from
 * {@link ProtobufSchema}'s recorded data (non-pointer fields are the ones its marshaller always writes).
 *
 * <p>Stateless and thread-safe.
 */
public final class GoZeroTimes {
    private static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private GoZeroTimes() {}

    /**
     * Puts {@code null} in {@code object} (a built-in kind, changed in place) wherever Go writes a zero time, and
     * removes zero times from {@code omitzero} fields; objects of kinds without recorded types are left as they are.
     * An object that gains a field gets it in Go's field order.
     */
    public static void apply(ObjectNode object) {
        Message message = ProtobufSchema.forKind(
                object.path("apiVersion").asText(""), object.path("kind").asText(""));
        if (message != null) {
            struct(object, message);
        }
    }

    private static void struct(ObjectNode object, Message message) {
        if (fields(object, message)) {
            GoFieldOrder.applyType(object, definition(message.name()));
        }
    }

    /** Walks one struct's fields (an inlined one's in the same object); returns whether a field was added. */
    private static boolean fields(ObjectNode object, Message message) {
        boolean added = false;
        for (Field f : message.fields()) {
            if (f.inline()) {
                added |= fields(object, ProtobufSchema.message(f.type()));
                continue;
            }
            JsonNode value = object.get(f.json());
            if (isTime(f.type())) {
                if (f.label() != Label.SINGLE) {
                    continue;
                }
                boolean zero = value == null || value.isNull() || (value.isTextual() && isZero(value.asText()));
                if (!zero) {
                    continue;
                }
                if (f.omitZero()) {
                    object.remove(f.json());
                } else if (f.always() || value != null) {
                    // a non-nil pointer to the zero time is written as null too
                    added |= value == null;
                    object.putNull(f.json());
                }
                continue;
            }
            if (value == null || !f.isMessage()) {
                continue;
            }
            Message inner = ProtobufSchema.message(f.type());
            if (inner.customJson() || inner.list()) {
                continue;
            }
            switch (f.label()) {
                case SINGLE -> {
                    if (value instanceof ObjectNode o) {
                        struct(o, inner);
                    }
                }
                case REPEATED -> {
                    if (value instanceof ArrayNode items) {
                        for (JsonNode item : items) {
                            if (item instanceof ObjectNode o) {
                                struct(o, inner);
                            }
                        }
                    }
                }
                case MAP -> {
                    if (value instanceof ObjectNode map) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                            if (it.next().getValue() instanceof ObjectNode o) {
                                struct(o, inner);
                            }
                        }
                    }
                }
            }
        }
        return added;
    }

    private static boolean isTime(String type) {
        return type.equals(ProtobufSchema.TIME) || type.equals(ProtobufSchema.MICRO_TIME);
    }

    /** Whether a time parses (the decoder has already refused what does not) to Go's zero time.Time. */
    static boolean isZero(String text) {
        if (!text.startsWith("0001-") && !text.startsWith("0000-") && !text.startsWith("0002-")) {
            return false; // only an offset near year 1 can reach the zero instant
        }
        try {
            return OffsetDateTime.parse(text).toInstant().equals(ZERO);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /**
     * kube-openapi's definition name of a protobuf message: {@code k8s.io.api.core.v1.PodCondition} is
     * {@code io.k8s.api.core.v1.PodCondition}; Go package paths keep their dashes where proto names have
     * underscores.
     */
    static String definition(String message) {
        String rest = message.startsWith("k8s.io.") ? message.substring("k8s.io.".length()) : message;
        return "io.k8s."
                + rest.replace("apiextensions_apiserver", "apiextensions-apiserver")
                        .replace("kube_aggregator", "kube-aggregator");
    }
}
