package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;

/**
 * A resource or subresource served by custom code rather than storage: the create-only review APIs
 * (TokenReview, SelfSubjectReview, SubjectAccessReview and friends), TokenRequest
 * ({@code serviceaccounts/token}), CSR {@code approval}, pod {@code eviction}/{@code binding}. Looked up by
 * (group, resource, subresource) in {@link VirtualResources}; the {@link RestHandler} decodes the body,
 * records it for audit, calls {@link #handle}, records and writes the answer.
 *
 * <p>Implementations are thread-safe and non-blocking.
 */
public interface VirtualResource {

    /**
     * One call. {@code body} is the decoded request object for create and update, already type-checked as
     * {@link #bodyKind()} and recorded as audit's requestObject; for other verbs it is null and the raw body
     * is in {@code state.body()}. Verbs the subresource does not advertise in discovery never arrive (405).
     * {@code request} carries what the generic create handler reads besides the body.
     */
    record Call(
            RequestState state,
            String verb,
            String namespace,
            String name,
            String subresource,
            ObjectNode body,
            UserInfo user,
            boolean dryRun,
            Request request) {

        /** A call without request details (content type, user agent, options): JSON body, no warnings sink. */
        public Call(
                RequestState state,
                String verb,
                String namespace,
                String name,
                String subresource,
                ObjectNode body,
                UserInfo user,
                boolean dryRun) {
            this(state, verb, namespace, name, subresource, body, user, dryRun, Request.NONE);
        }

        /** Admission's recorder for this call: warnings to the request's sink, annotations on its audit event. */
        public AdmissionRecorder recorder() {
            return new AdmissionRecorder() {
                @Override
                public void warn(String text) {
                    request.warnings().accept(text);
                }

                @Override
                public void annotate(String key, String value) {
                    if (state != null) {
                        state.annotate(key, value);
                    }
                }
            };
        }
    }

    /**
     * The parts of the HTTP request a handler may need besides the decoded body.
     *
     * @param contentType the request's Content-Type header, "" when absent
     * @param userAgent the User-Agent header, "" when absent (names the field manager)
     * @param fieldManager the {@code fieldManager} query parameter, "" when absent
     * @param fieldValidation the {@code fieldValidation} query parameter, "" when absent
     * @param dryRun every {@code dryRun} query parameter value
     * @param warnings receives warning texts; the handler writes each as a {@code Warning: 299 - "<text>"} header
     */
    record Request(
            String contentType,
            String userAgent,
            String fieldManager,
            String fieldValidation,
            List<String> dryRun,
            Consumer<String> warnings) {
        public static final Request NONE = new Request("", "", "", "", List.of(), w -> {});

        public Request {
            contentType = contentType == null ? "" : contentType;
            userAgent = userAgent == null ? "" : userAgent;
            fieldManager = fieldManager == null ? "" : fieldManager;
            fieldValidation = fieldValidation == null ? "" : fieldValidation;
            dryRun = List.copyOf(dryRun == null ? List.of() : dryRun);
            warnings = warnings == null ? w -> {} : warnings;
        }

        /** Whether the body arrived as {@code application/vnd.kubernetes.protobuf} (decoded by the registry's codec). */
        public boolean protobuf() {
            return BodyDecoder.mediaType(contentType).equals(ProtobufDecoder.MEDIA_TYPE);
        }
    }

    /**
     * The answer: HTTP code and body (written as JSON), or bytes written as they are with their content type
     * ({@code pods/log}'s text; an empty body with 204).
     */
    record Answer(int code, JsonNode body, String contentType, byte[] raw) {
        public Answer(int code, JsonNode body) {
            this(code, body, null, null);
        }

        public static Answer raw(int code, String contentType, byte[] bytes) {
            return new Answer(code, null, contentType, bytes);
        }
    }

    /**
     * The Kind the request body must be (e.g. "TokenReview" in authentication.k8s.io/v1), used by the
     * decoder's type checks; null when the call takes no body.
     */
    BodyKind bodyKind();

    /** Serves the call; fails with a {@link io.kubetwin.apiserver.api.StatusException} to answer an error. */
    Future<Answer> handle(Call call);

    /**
     * Serves the call with the connection at hand, for the subresources that upgrade or stream it (pods/exec,
     * attach, portforward, a followed log): a null answer means the handler has answered on {@code rc} itself.
     * By default {@link #handle(Call)}.
     */
    default Future<Answer> handle(Call call, RoutingContext rc) {
        return handle(call);
    }

    /** The group/version/kind of the request body. */
    record BodyKind(String group, String version, String kind) {}
}
