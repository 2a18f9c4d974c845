package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.MediaNegotiation.Outcome;
import io.kubetwin.apiserver.api.MediaNegotiation.Target;
import io.kubetwin.apiserver.api.RestfulRoutes;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufEncoder;
import java.util.List;
import java.util.Set;

/**
 * The Accept header of a resource request, checked where kube-apiserver checks it: go-restful's route
 * selection for built-in resources (custom resources are served by a plain handler, which has none), then
 * the handler's negotiation (handlers/rest.go AllowsMediaTypeTransform), which every verb's handler does
 * before it touches storage (a create refused with 406 stores nothing).
 */
public final class OutputMediaType {
    private static final Set<String> PATCH_TYPES = Set.of(
            "application/json-patch+json",
            "application/merge-patch+json",
            "application/strategic-merge-patch+json",
            "application/apply-patch+yaml");

    private static final String OUTCOME = OutputMediaType.class.getName();

    private OutputMediaType() {}

    /** Called once the route is known to exist and take the method; throws the 406 upstream answers. */
    public static void checkRoute(Scope scope) {
        String verb = scope.info().verb();
        String accept = scope.rc().request().getHeader("Accept");
        if (!scope.strategy().unstructured()) {
            if ("patch".equals(verb)
                    && !PATCH_TYPES.contains(
                            BodyDecoder.mediaType(scope.rc().request().getHeader("Content-Type")))) {
                return; // the PATCH route consumes only the patch types: its 415 comes first
            }
            RestfulRoutes.checkAccept(accept, produces(scope));
        }
        negotiate(scope);
    }

    /** The negotiated output of a resource request, or the 406 of NegotiateOutputMediaType. */
    public static Outcome negotiate(Scope scope) {
        // negotiated once per request: the route check, the Table and the metadata-only output all read it
        Outcome known = scope.rc().get(OUTCOME);
        if (known != null) {
            return known;
        }
        Outcome outcome =
                MediaNegotiation.negotiateOrFail(scope.rc().request().getHeader("Accept"), restrictions(scope));
        scope.rc().put(OUTCOME, outcome);
        return outcome;
    }

    /**
     * Writes an object or list answer in the negotiated encoding: protobuf when the client prefers it and the kind
     * has a protobuf form (built-in kinds; custom resources never negotiate it), otherwise as {@link Responses#write}
     * writes every resource answer (YAML when the client prefers it, JSON otherwise).
     */
    static void write(Scope scope, int code, ObjectNode body) {
        Outcome outcome = negotiate(scope);
        if (outcome.mediaType().equals(ProtobufDecoder.MEDIA_TYPE)
                && outcome.target() == null
                && ProtobufEncoder.supports(
                        body.path("apiVersion").asText(), body.path("kind").asText())) {
            Responses.writeProtobuf(scope.rc(), code, body);
        } else {
            Responses.write(scope.rc(), code, body);
        }
    }

    /**
     * Whether this resource request negotiated YAML: kube-apiserver writes every answer of its handlers (objects,
     * lists, Tables, delete's Status) in the negotiated media type. False before the negotiation and for requests
     * that have none (errors are written elsewhere).
     */
    static boolean prefersYaml(io.vertx.ext.web.RoutingContext rc) {
        Outcome known = rc.get(OUTCOME);
        return known != null && known.mediaType().equals(MediaNegotiation.YAML);
    }

    /** The Table apiVersion the negotiation chose ("meta.k8s.io/v1" or "meta.k8s.io/v1beta1"), or null. */
    static String tableVersion(Scope scope) {
        Target target = negotiate(scope).target();
        return target != null && target.kind().equals("Table") ? target.group() + "/" + target.version() : null;
    }

    private static List<String> produces(Scope scope) {
        String verb = scope.info().verb();
        if ("log".equals(scope.subresource())) {
            return RestfulRoutes.LOG;
        }
        return "list".equals(verb) || "watch".equals(verb) ? RestfulRoutes.COLLECTION : RestfulRoutes.OBJECT;
    }

    private static MediaNegotiation.Restrictions restrictions(Scope scope) {
        boolean custom = scope.strategy().unstructured();
        return new MediaNegotiation.Restrictions() {
            @Override
            public boolean allowsTransform(String type, String subType, Target target) {
                if (target == null) {
                    // custom resources have no protobuf form (their StandardSerializers)
                    return !custom || subType.equals("json") || subType.equals("yaml");
                }
                if (!target.group().equals("meta.k8s.io")
                        || !(target.version().equals("v1") || target.version().equals("v1beta1"))) {
                    return false;
                }
                return switch (target.kind()) {
                    case "Table" -> type.equals("application") && (subType.equals("json") || subType.equals("yaml"));
                    case "PartialObjectMetadata", "PartialObjectMetadataList" -> true;
                    default -> false;
                };
            }

            @Override
            public boolean allowsServerVersion(String version) {
                return version.equals("v1");
            }
        };
    }
}
