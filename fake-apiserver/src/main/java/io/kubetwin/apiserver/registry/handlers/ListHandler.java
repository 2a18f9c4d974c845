package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoStrconv;
import io.kubetwin.apiserver.api.MediaNegotiation;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.Meta;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.storage.ListResult;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * LIST (handlers/get.go ListResource over store.go List): selectors, {@code limit}/{@code continue}
 * paging with opaque tokens, {@code kind: <Kind>List}, and Tables. Items are served without kind and
 * apiVersion, as typed lists serialise upstream. A continued list, or one at an Exact resourceVersion, reads the store
 * at that revision where the store keeps history (etcd, until it is compacted: then upstream's 410 Expired), else
 * the current state, reporting the token's resourceVersion.
 */
public final class ListHandler {
    private ListHandler() {}

    public static void handle(Scope scope) {
        Predicate<ObjectNode> filter;
        long limit;
        ContinueToken token = null;
        try {
            filter = Filters.predicate(scope);
            limit = checkOptions(scope);
            String cont = scope.query("continue");
            if (cont != null && !cont.isEmpty()) {
                try {
                    token = ContinueToken.decode(cont);
                } catch (IllegalArgumentException e) {
                    throw Statuses.badRequest("invalid continue token: " + e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            Responses.fail(scope.rc(), e);
            return;
        }
        ContinueToken resumeAt = token;
        String namespace =
                scope.served().type().namespaced() && !scope.namespace().isEmpty() ? scope.namespace() : null;
        long at = snapshotRevision(scope, token);
        Storage storage = scope.registry().storage();
        Future<ListResult> read = at > 0
                ? storage.listAt(scope.served().storageKey(), namespace, at)
                        .recover(e -> Future.failedFuture(compacted(e, resumeAt)))
                // the store's own objects: only read here, and copied (shallowly where that is enough) before any
                // change, so a LIST no longer deep-copies every stored object
                : storage.listShared(scope.served().storageKey(), namespace);
        read.onSuccess(result -> {
                    List<ObjectNode> matched = new ArrayList<>(result.items().size());
                    String start = resumeAt == null ? null : startKey(resumeAt, namespace != null);
                    for (ObjectNode item : result.items()) {
                        // the item's key only matters for a continued list
                        if (start != null && itemKey(item, namespace != null).compareTo(start) < 0) {
                            continue;
                        }
                        if (filter.test(item)) {
                            matched.add(item);
                        }
                    }
                    // a token of rv -1 (handed out with a compacted token's 410) goes on at the latest revision
                    long rv = resumeAt != null && resumeAt.resourceVersion() > 0
                            ? resumeAt.resourceVersion()
                            : result.resourceVersion();
                    ObjectNode listMeta = JsonNodeFactory.instance.objectNode();
                    boolean unstructured = scope.strategy().unstructured();
                    if (unstructured) {
                        // unstructured lists always carry continue, ahead of resourceVersion
                        listMeta.put("continue", "");
                    }
                    listMeta.put("resourceVersion", Long.toString(rv));
                    List<ObjectNode> page = matched;
                    if (limit > 0 && matched.size() > limit) {
                        page = matched.subList(0, (int) limit);
                        ObjectNode last = page.get(page.size() - 1);
                        String next = itemKey(last, namespace != null) + "\u0000";
                        listMeta.put("continue", new ContinueToken(rv, next).encode());
                        if (scope.query("labelSelector") == null && scope.query("fieldSelector") == null) {
                            listMeta.put("remainingItemCount", matched.size() - limit);
                        }
                    }
                    if (!typedWithoutConversion(scope)) {
                        // the outputs below change the objects they are given (Conversion.toServed, sorted keys)
                        page = page.stream().map(ObjectNode::deepCopy).toList();
                    }
                    String table = OutputMediaType.tableVersion(scope);
                    if (table != null) {
                        Responses.write(
                                scope.rc(),
                                200,
                                TableOutput.table(
                                        table,
                                        scope.strategy().table(),
                                        page,
                                        o -> Conversion.toServed(scope.served(), o),
                                        listMeta,
                                        scope.query("includeObject"),
                                        true,
                                        scope.registry().clock().instant()));
                        return;
                    }
                    MediaNegotiation.Target partial = PartialObjectMetadataOutput.requested(scope);
                    if (partial != null) {
                        try {
                            Responses.write(
                                    scope.rc(), 200, PartialObjectMetadataOutput.list(scope, partial, page, listMeta));
                        } catch (StatusException e) {
                            Responses.fail(scope.rc(), e);
                        }
                        return;
                    }
                    if (scope.strategy().unstructured()) {
                        Responses.write(scope.rc(), 200, unstructuredList(scope, page, listMeta));
                        return;
                    }
                    ObjectNode list = JsonNodeFactory.instance.objectNode();
                    list.put("kind", scope.served().type().kind() + "List");
                    list.put("apiVersion", scope.served().type().apiVersion());
                    list.set("metadata", listMeta);
                    ArrayNode items = list.putArray("items");
                    for (ObjectNode item : page) {
                        // what Conversion.toServed and then removing kind and apiVersion leave: the stored fields
                        // in their order without those two, sharing the (unchanged) values with the store
                        ObjectNode served = items.addObject();
                        item.fields().forEachRemaining(e -> {
                            if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) {
                                served.set(e.getKey(), e.getValue());
                            }
                        });
                    }
                    OutputMediaType.write(scope, 200, unstructured ? Meta.sortKeys(list) : list);
                })
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }

    /**
     * The revision a list reads at, 0 for the latest: a continue token's, or an exact resourceVersion's, when the store
     * has reached it (etcd then answers from its history, or refuses a compacted revision).
     */
    private static long snapshotRevision(Scope scope, ContinueToken token) {
        long current = scope.registry().storage().currentResourceVersion();
        long rv = 0;
        if (token != null) {
            rv = token.resourceVersion();
        } else if ("Exact".equals(scope.query("resourceVersionMatch"))) {
            try {
                rv = Long.parseLong(String.valueOf(scope.query("resourceVersion")));
            } catch (NumberFormatException e) {
                rv = 0;
            }
        }
        return rv > 0 && rv <= current ? rv : 0;
    }

    /**
     * etcd3's interpretListError for a compacted revision (storage/etcd3/errors.go): 410 Expired; for a continued
     * list, with a token of resourceVersion -1 that resumes at the same key on the latest revision.
     */
    private static Throwable compacted(Throwable e, ContinueToken token) {
        if (!(e instanceof StorageException se) || se.reason() != StorageException.Reason.TOO_OLD_RESOURCE_VERSION) {
            return e;
        }
        if (token == null) {
            return Statuses.gone("The resourceVersion for the provided list is too old.");
        }
        // the key relative to the list's prefix with its trailing '/', as EncodeContinue trims it
        String start = token.startKey().startsWith("/") ? token.startKey().substring(1) : token.startKey();
        return Statuses.gone(INCONSISTENT_CONTINUE, new ContinueToken(-1, start).encode());
    }

    /** An item's key as continue tokens compare it. */
    private static String itemKey(ObjectNode item, boolean inNamespace) {
        JsonNode metadata = item.path("metadata");
        return ContinueToken.keyOf(
                inNamespace,
                metadata.path("namespace").asText(""),
                metadata.path("name").asText(""));
    }

    /** A token's start key as this handler's keys are written (a leading '/' in a namespace). */
    private static String startKey(ContinueToken token, boolean inNamespace) {
        String start = token.startKey();
        return inNamespace && !start.startsWith("/") ? "/" + start : start;
    }

    private static final String INCONSISTENT_CONTINUE = "The provided continue parameter is too old to display a"
            + " consistent list result. You can start a new list without the continue parameter, or use the continue"
            + " token in this response to retrieve the remainder of the results. Continuing with the provided token"
            + " results in an inconsistent list - objects that were created, modified, or deleted between the time the"
            + " first chunk was returned and now may show up in the list.";

    /**
     * Whether the answer is the typed list, whose items need no conversion: the one output that only reads the
     * stored objects (not a Table, not PartialObjectMetadata, not unstructured, not a converted version).
     */
    private static boolean typedWithoutConversion(Scope scope) {
        return OutputMediaType.tableVersion(scope) == null
                && PartialObjectMetadataOutput.requested(scope) == null
                && !scope.strategy().unstructured()
                && !Conversion.isEventsV1(scope.served())
                && !Conversion.isHpaV1(scope.served());
    }

    /** An UnstructuredList as encoding/json writes its map: sorted keys, typed items, continue always present. */
    private static ObjectNode unstructuredList(Scope scope, List<ObjectNode> page, ObjectNode listMeta) {
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("apiVersion", scope.served().type().apiVersion());
        ArrayNode items = list.putArray("items");
        for (ObjectNode item : page) {
            items.add(Conversion.toServed(scope.served(), item));
        }
        list.put("kind", scope.served().type().kind() + "List");
        ObjectNode meta = list.putObject("metadata");
        meta.put("continue", listMeta.path("continue").asText(""));
        if (listMeta.has("remainingItemCount")) {
            meta.set("remainingItemCount", listMeta.get("remainingItemCount"));
        }
        meta.set("resourceVersion", listMeta.get("resourceVersion"));
        return list;
    }

    /**
     * The ListOptions as get.go ListResource reads them after the selectors: the numbers converted (400 with
     * strconv's text), then ValidateListOptions (422), then the resource version as the storage parses it (400).
     * Answers the limit (0: none).
     */
    private static long checkOptions(Scope scope) {
        long limit = 0;
        try {
            if (scope.query("timeoutSeconds") != null) {
                GoStrconv.parseInt64(scope.query("timeoutSeconds"));
            }
            if (scope.query("limit") != null) {
                limit = Math.max(0, GoStrconv.parseInt64(scope.query("limit")));
            }
        } catch (NumberFormatException e) {
            throw Statuses.badRequest(e.getMessage());
        }
        String rv = scope.query("resourceVersion");
        String match = scope.query("resourceVersionMatch");
        List<FieldError> errors = new ArrayList<>();
        if (match != null && !match.isEmpty()) {
            if (rv == null || rv.isEmpty()) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            String cont = scope.query("continue");
            if (cont != null && !cont.isEmpty()) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!match.equals("Exact") && !match.equals("NotOlderThan")) {
                errors.add(
                        FieldError.notSupported("resourceVersionMatch", match, List.of("Exact", "NotOlderThan", "")));
            }
            if (match.equals("Exact") && "0".equals(rv)) {
                errors.add(FieldError.forbidden(
                        "resourceVersionMatch",
                        "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (scope.query("sendInitialEvents") != null) {
            errors.add(FieldError.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
        }
        if (!errors.isEmpty()) {
            throw FieldError.invalid("meta.k8s.io", "ListOptions", "", errors);
        }
        if (rv != null && !rv.isEmpty()) {
            try {
                GoStrconv.parseUint64(rv);
            } catch (NumberFormatException e) {
                throw Statuses.badRequest("invalid resource version: resourceVersion: Invalid value: "
                        + GoText.quote(rv) + ": " + e.getMessage());
            }
        }
        return limit;
    }
}
