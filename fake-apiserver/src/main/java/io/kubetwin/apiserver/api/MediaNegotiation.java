package io.kubetwin.apiserver.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The output media type negotiation of kube-apiserver's handlers
 * (k8s.io/apiserver/pkg/endpoints/handlers/negotiation NegotiateOutputMediaType): the first clause of the
 * Accept header, in goautoneg's order, that names a serializer of the server (or a wildcard for one) and
 * whose parameters the endpoint allows wins; an empty header means JSON; no winner is a 406. The fake
 * writes JSON or YAML as negotiated, protobuf only for some answers (see the known divergences), but refuses
 * exactly what upstream refuses and honours the conversions ({@code as=Table}) it implements.
 */
public final class MediaNegotiation {
    /** The media type of the YAML serializer, which has no stream form. */
    public static final String YAML = "application/yaml";

    /** The serializers of the legacy scheme's codec factory, in its order (the 406 text lists them so). */
    public static final List<String> SERVER_MEDIA_TYPES =
            List.of("application/json", YAML, "application/vnd.kubernetes.protobuf");

    private MediaNegotiation() {}

    /** A conversion target named by the {@code as}, {@code g} and {@code v} parameters. */
    public record Target(String group, String version, String kind) {}

    /** What won: the media type, the conversion target (null for none), the stream schema and pretty. */
    public record Outcome(String mediaType, Target target, String stream, boolean pretty) {}

    /** negotiation.EndpointRestrictions. */
    public interface Restrictions {
        boolean allowsTransform(String type, String subType, Target target);

        default boolean allowsStreamSchema(String schema) {
            return schema.equals("watch");
        }

        /** The {@code sv} parameter: only resource endpoints name one (metav1's version). */
        default boolean allowsServerVersion(String version) {
            return false;
        }
    }

    /** DefaultEndpointRestrictions: any serializer, no conversion. */
    public static final Restrictions NO_CONVERSION = (type, subType, target) -> target == null;

    /** Negotiates against {@link #SERVER_MEDIA_TYPES}; empty when upstream answers 406. */
    public static Optional<Outcome> negotiate(String accept, Restrictions restrictions) {
        return negotiate(accept, SERVER_MEDIA_TYPES, restrictions);
    }

    public static Optional<Outcome> negotiate(String accept, List<String> mediaTypes, Restrictions restrictions) {
        if (accept == null || accept.isEmpty()) {
            return Optional.of(new Outcome(mediaTypes.get(0), null, "", false));
        }
        for (AcceptClauses.Clause clause : AcceptClauses.parse(accept)) {
            for (String mediaType : mediaTypes) {
                int slash = mediaType.indexOf('/');
                String type = mediaType.substring(0, slash);
                String subType = mediaType.substring(slash + 1);
                boolean matches = (clause.type().equals(type)
                                && (clause.subType().equals(subType)
                                        || clause.subType().equals("*")))
                        || (clause.type().equals("*") && clause.subType().equals("*"));
                if (!matches) {
                    continue;
                }
                Optional<Outcome> outcome = options(clause.params(), mediaType, type, subType, restrictions);
                if (outcome.isPresent()) {
                    return outcome;
                }
            }
        }
        return Optional.empty();
    }

    /** Negotiates, or throws the 406 upstream writes (NewNotAcceptableError: no details). */
    public static Outcome negotiateOrFail(String accept, Restrictions restrictions) {
        return negotiate(accept, restrictions).orElseThrow(() -> notAcceptable(SERVER_MEDIA_TYPES));
    }

    public static StatusException notAcceptable(List<String> mediaTypes) {
        return new StatusException(Status.failure(
                406,
                "NotAcceptable",
                "only the following media types are accepted: " + String.join(", ", mediaTypes),
                null));
    }

    /** acceptMediaTypeOptions. */
    private static Optional<Outcome> options(
            Map<String, String> params, String mediaType, String type, String subType, Restrictions restrictions) {
        String kind = null;
        String group = null;
        String version = null;
        boolean convert = false;
        String stream = "";
        boolean pretty = false;
        for (Map.Entry<String, String> param : params.entrySet()) {
            String value = param.getValue();
            switch (param.getKey()) {
                case "as" -> {
                    convert = true;
                    kind = value;
                }
                case "g" -> {
                    convert = true;
                    group = value;
                }
                case "v" -> {
                    convert = true;
                    version = value;
                }
                case "stream" -> {
                    // every serializer of the server has a stream form except YAML's
                    boolean streams = !subType.equals("yaml");
                    if (!value.isEmpty() && (!streams || !restrictions.allowsStreamSchema(value))) {
                        return Optional.empty();
                    }
                    stream = value;
                }
                case "sv" -> {
                    if (!value.isEmpty() && !restrictions.allowsServerVersion(value)) {
                        return Optional.empty();
                    }
                }
                case "pretty" -> pretty = value.equals("1");
                default -> {} // export and unknown parameters are ignored
            }
        }
        Target target = convert ? new Target(nz(group), nz(version), nz(kind)) : null;
        if (!restrictions.allowsTransform(type, subType, target)) {
            return Optional.empty();
        }
        return Optional.of(new Outcome(mediaType, target, stream, pretty));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
