package io.kubetwin.apiserver.api;

import io.kubetwin.pki.GoText;
import java.util.List;

/**
 * Constructors for the Status errors kube-apiserver returns, with its exact messages.
 * Mirrors k8s.io/apimachinery/pkg/api/errors/errors.go. A GroupResource is printed {@code resource}
 * for the core group and {@code resource.group} otherwise; names are printed with Go's {@code %q}.
 */
public final class Statuses {
    private Statuses() {}

    public static String groupResource(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static StatusException unauthorized() {
        return new StatusException(Status.failure(401, "Unauthorized", "Unauthorized", null));
    }

    /** A 403 whose message is already complete (used by the authorization filter and admission). */
    public static StatusException forbidden(String group, String resource, String name, String message) {
        Status.Details details = resource == null || resource.isEmpty() && (name == null || name.isEmpty())
                ? Status.Details.empty()
                : Status.Details.of(group, resource, name);
        return new StatusException(Status.failure(403, "Forbidden", message, details));
    }

    /**
     * errors.NewForbidden, for refusals decided by authorization, admission or escalation checks: the
     * {@link #forbiddenPrefix} followed by {@code detail} unchanged.
     */
    public static StatusException forbiddenWithDetail(String group, String resource, String name, String detail) {
        return forbidden(group, resource, name, forbiddenPrefix(group, resource, name) + detail);
    }

    /** {@code forbidden: }, {@code <gr> is forbidden: } or {@code <gr> "<name>" is forbidden: } (name Go-quoted). */
    public static String forbiddenPrefix(String group, String resource, String name) {
        boolean noGroup = group == null || group.isEmpty();
        if (noGroup && (resource == null || resource.isEmpty())) {
            return "forbidden: ";
        }
        String gr = groupResource(group, resource);
        return name == null || name.isEmpty()
                ? gr + " is forbidden: "
                : gr + " " + GoText.quote(name) + " is forbidden: ";
    }

    public static StatusException notFound(String group, String resource, String name) {
        return new StatusException(Status.failure(
                404,
                "NotFound",
                groupResource(group, resource) + " " + GoText.quote(name) + " not found",
                Status.Details.of(group, resource, name)));
    }

    /** The 404 for a path that names no served resource: body message "the server could not find the requested resource". */
    public static StatusException pathNotFound() {
        return new StatusException(Status.failure(
                404, "NotFound", "the server could not find the requested resource", Status.Details.empty()));
    }

    public static StatusException alreadyExists(String group, String resource, String name) {
        return new StatusException(Status.failure(
                409,
                "AlreadyExists",
                groupResource(group, resource) + " " + GoText.quote(name) + " already exists",
                Status.Details.of(group, resource, name)));
    }

    /** Optimistic-concurrency conflict on update (errors.NewConflict). */
    public static StatusException conflict(String group, String resource, String name, String why) {
        return new StatusException(Status.failure(
                409,
                "Conflict",
                "Operation cannot be fulfilled on " + groupResource(group, resource) + " " + GoText.quote(name) + ": "
                        + why,
                Status.Details.of(group, resource, name)));
    }

    /** 422 with field causes (errors.NewInvalid): {@code <Kind>[.<group>] "<name>" is invalid: <causes joined by ", ">}. */
    public static StatusException invalid(String group, String kind, String name, List<Status.Cause> causes) {
        String qualifiedKind = groupResource(group, kind);
        StringBuilder message = new StringBuilder(qualifiedKind)
                .append(' ')
                .append(GoText.quote(name))
                .append(" is invalid: ");
        // the message is ErrorList.ToAggregate, which drops repeated texts; the causes keep every error
        List<String> texts = causes.stream().map(Statuses::causeText).distinct().toList();
        if (texts.size() == 1) {
            message.append(texts.get(0));
        } else {
            message.append('[').append(String.join(", ", texts)).append(']');
        }
        return new StatusException(Status.failure(
                422, "Invalid", message.toString(), new Status.Details(name, group, kind, null, causes, null)));
    }

    private static String causeText(Status.Cause cause) {
        return cause.field() == null || cause.field().isEmpty()
                ? cause.message()
                : cause.field() + ": " + cause.message();
    }

    public static StatusException badRequest(String message) {
        return new StatusException(Status.failure(400, "BadRequest", message, null));
    }

    public static StatusException methodNotSupported(String group, String resource, String action) {
        return new StatusException(Status.failure(
                405,
                "MethodNotAllowed",
                action + " is not supported on resources of kind \"" + groupResource(group, resource) + "\"",
                Status.Details.of(group, resource, null)));
    }

    public static StatusException requestEntityTooLarge(String message) {
        return new StatusException(
                Status.failure(413, "RequestEntityTooLarge", "Request entity too large: " + message, null));
    }

    public static StatusException unsupportedMediaType(String contentType) {
        return new StatusException(Status.failure(
                415,
                "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
                null));
    }

    public static StatusException internalError(String message) {
        return new StatusException(Status.failure(
                500,
                "InternalError",
                "Internal error occurred: " + message,
                new Status.Details(null, null, null, null, List.of(new Status.Cause("", message, "")), null)));
    }

    /** ErrorToAPIStatus of an error that is no Status (a plain Go error): 500, no reason, its text. */
    public static StatusException unknownError(String message) {
        return new StatusException(Status.failure(500, "", message, null));
    }

    public static StatusException gone(String message) {
        return new StatusException(Status.failure(410, "Expired", message, null));
    }

    /** A 410 Expired whose metadata carries the continue token to go on with (etcd3's compacted continue). */
    public static StatusException gone(String message, String continueToken) {
        return new StatusException(new Status(Status.FAILURE, message, "Expired", null, 410, continueToken));
    }
}
