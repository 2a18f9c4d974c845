package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoStrconv;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.Deleter;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.codec.ProtobufDecoder;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * DELETE of one object and DELETE of a collection (handlers/delete.go): DeleteOptions from the body or
 * the query; 200 when the object is gone, 202 while finalizers hold it; the object or a Status Success
 * as the kind's strategy says; deletecollection answers the list of deleted objects.
 */
public final class DeleteHandler {
    private DeleteHandler() {}

    public static void handle(Scope scope) {
        Deleter.Options options;
        try {
            options = options(scope);
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        new Deleter(scope.registry())
                .delete(scope.served(), scope.namespace(), scope.name(), options, scope.user(), scope.recorder())
                .onSuccess(result -> Responses.write(
                        scope.rc(),
                        result.deleted() || !orphanDependentsFalse(scope) ? 200 : 202,
                        result.body() instanceof ObjectNode o
                                        && o.has("metadata")
                                        && !"Status".equals(o.path("kind").asText())
                                ? Conversion.toServed(scope.served(), o)
                                : result.body()))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }

    public static void handleCollection(Scope scope) {
        Deleter.Options options;
        Predicate<ObjectNode> filter;
        try {
            options = options(scope);
            filter = Filters.predicate(scope);
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        Deleter.warnJobOrphaning(scope.served(), options, scope.recorder());
        String namespace =
                scope.served().type().namespaced() && !scope.namespace().isEmpty() ? scope.namespace() : null;
        Deleter deleter = new Deleter(scope.registry());
        scope.registry()
                .storage()
                .list(scope.served().storageKey(), namespace)
                .compose(list -> {
                    List<Future<Deleter.Result>> deletions = new ArrayList<>();
                    for (ObjectNode item : list.items()) {
                        if (filter.test(item)) {
                            deletions.add(deleter.deleteInCollection(
                                    scope.served(),
                                    item.path("metadata").path("namespace").asText(""),
                                    item.path("metadata").path("name").asText(""),
                                    options,
                                    scope.user(),
                                    scope.recorder()));
                        }
                    }
                    return Future.all(deletions).map(all -> {
                        ObjectNode out = JsonNodeFactory.instance.objectNode();
                        out.put("kind", scope.served().type().kind() + "List");
                        out.put("apiVersion", scope.served().type().apiVersion());
                        out.putObject("metadata")
                                .put(
                                        "resourceVersion",
                                        Long.toString(scope.registry().storage().currentResourceVersion()));
                        ArrayNode items = out.putArray("items");
                        for (Future<Deleter.Result> f : deletions) {
                            JsonNode body = f.result().body();
                            if (body instanceof ObjectNode o
                                    && !"Status".equals(o.path("kind").asText())) {
                                ObjectNode item = o.deepCopy();
                                item.remove("kind");
                                item.remove("apiVersion");
                                items.add(item);
                            }
                        }
                        return out;
                    });
                })
                .onSuccess(out -> Responses.write(scope.rc(), 200, out))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }

    /**
     * handlers/delete.go answers 202 for an object that is not gone yet only when the client set
     * orphanDependents=false; otherwise (finalizers pending, the common case) 200.
     */
    static boolean orphanDependentsFalse(Scope scope) {
        if ("false".equals(scope.query("orphanDependents"))) {
            return true;
        }
        byte[] body = scope.state().body().getBytes();
        if (body.length == 0) {
            return false;
        }
        BodyDecoder.ParseResult parsed =
                BodyDecoder.parse(body, BodyDecoder.isYaml(scope.rc().request().getHeader("Content-Type")));
        return parsed.error() == null
                && parsed.node().path("orphanDependents").isBoolean()
                && !parsed.node().path("orphanDependents").asBoolean();
    }

    /**
     * Audit's requestObject of a delete with a body: kube-apiserver decodes the DeleteOptions to its internal
     * version and logs them as such (delete.go), whatever the client sent: kind DeleteOptions, apiVersion
     * meta.k8s.io/__internal, then the fields in metav1.DeleteOptions' order.
     */
    static ObjectNode loggedOptions(JsonNode body) {
        ObjectNode logged = JsonNodeFactory.instance.objectNode();
        logged.put("kind", "DeleteOptions");
        logged.put("apiVersion", "meta.k8s.io/__internal");
        for (String field : List.of(
                "gracePeriodSeconds",
                "preconditions",
                "orphanDependents",
                "propagationPolicy",
                "dryRun",
                "ignoreStoreReadErrorWithClusterBreakingPotential")) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                logged.set(field, value.deepCopy());
            }
        }
        return logged;
    }

    /**
     * The kinds metainternalversionscheme can create for meta.k8s.io/v1 (metav1.AddToGroupVersion's options and
     * WatchEvent, AddMetaToScheme's, and the unversioned kinds, which it creates for any version).
     */
    private static final Set<String> META_V1_KINDS = Set.of(
            "WatchEvent",
            "ListOptions",
            "GetOptions",
            "DeleteOptions",
            "CreateOptions",
            "UpdateOptions",
            "PatchOptions",
            "Table",
            "TableOptions",
            "PartialObjectMetadata",
            "PartialObjectMetadataList",
            "Status",
            "APIVersions",
            "APIGroupList",
            "APIGroup",
            "APIResourceList");

    /**
     * The body's kind in the default version meta.k8s.io/v1 (an absent apiVersion defaults to it): a kind the
     * scheme does not know there is the decoder's not-registered error. Other versions are left to the lenient
     * reading below.
     */
    private static void checkKind(JsonNode o) {
        String apiVersion = o.path("apiVersion").asText("");
        String kind = o.path("kind").asText("");
        if ((apiVersion.isEmpty() || apiVersion.equals("meta.k8s.io/v1"))
                && !kind.isEmpty()
                && !META_V1_KINDS.contains(kind)) {
            throw Statuses.unknownError("no kind " + GoText.quote(kind) + " is registered for version "
                    + "\"meta.k8s.io/v1\" in scheme \"pkg/runtime/scheme.go:110\"");
        }
    }

    /** metav1.DeleteOptions from the body when present, else from the query. */
    static Deleter.Options options(Scope scope) {
        byte[] body = scope.state().body().getBytes();
        String uid = null;
        String rv = null;
        Long grace = null;
        String propagation = scope.query("propagationPolicy");
        Boolean orphan =
                scope.query("orphanDependents") == null ? null : GoStrconv.queryBool(scope.query("orphanDependents"));
        List<String> dryRunValues = new ArrayList<>(scope.state().query().all("dryRun"));
        if (scope.query("gracePeriodSeconds") != null) {
            try {
                grace = GoStrconv.parseInt64(scope.query("gracePeriodSeconds"));
            } catch (NumberFormatException e) {
                throw Statuses.badRequest(e.getMessage());
            }
        }
        if (body.length > 0) {
            String contentType = scope.rc().request().getHeader("Content-Type");
            JsonNode o;
            if (BodyDecoder.mediaType(contentType).equals(ProtobufDecoder.MEDIA_TYPE)) {
                try {
                    ProtobufDecoder.Decoded decoded = ProtobufDecoder.decode(body);
                    o = decoded.object() == null ? JsonNodeFactory.instance.objectNode() : decoded.object();
                } catch (IllegalArgumentException e) {
                    throw Statuses.badRequest(e.getMessage());
                }
            } else {
                BodyDecoder.ParseResult parsed = BodyDecoder.parse(body, BodyDecoder.isYaml(contentType));
                // delete.go hands the decoder's errors to scope.err as they are: plain errors, so 500s
                if (parsed.error() != null) {
                    throw Statuses.unknownError("couldn't get version/kind; json parse error: " + parsed.error());
                }
                o = parsed.node();
                checkKind(o);
            }
            scope.state().requestObject(loggedOptions(o));
            if (o.path("preconditions").hasNonNull("uid")) {
                uid = o.path("preconditions").get("uid").asText();
            }
            if (o.path("preconditions").hasNonNull("resourceVersion")) {
                rv = o.path("preconditions").get("resourceVersion").asText();
            }
            if (o.hasNonNull("gracePeriodSeconds")) {
                grace = o.get("gracePeriodSeconds").asLong();
            }
            if (o.path("orphanDependents").isBoolean()) {
                orphan = o.get("orphanDependents").asBoolean();
            }
            if (o.hasNonNull("propagationPolicy")) {
                propagation = o.get("propagationPolicy").asText();
            }
            if (o.has("dryRun")) {
                dryRunValues.clear();
                o.path("dryRun").forEach(d -> dryRunValues.add(d.asText()));
            }
        }
        // metav1 validation.ValidateDeleteOptions
        List<FieldError> errors = new ArrayList<>();
        if (orphan != null && propagation != null) {
            errors.add(FieldError.invalid(
                    "propagationPolicy", propagation, "orphanDependents and deletionPropagation cannot be both set"));
        }
        if (propagation != null
                && !List.of("Orphan", "Background", "Foreground").contains(propagation)) {
            errors.add(FieldError.notSupported(
                    "propagationPolicy", propagation, List.of("Foreground", "Background", "Orphan", "nil")));
        }
        errors.addAll(WriteOptions.dryRun(dryRunValues));
        if (!errors.isEmpty()) {
            throw FieldError.invalid("meta.k8s.io", "DeleteOptions", "", errors);
        }
        boolean dryRun = dryRunValues.contains("All");
        return new Deleter.Options(uid, rv, grace, propagation, dryRun, orphan);
    }
}
