package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.DeepStack;
import io.kubetwin.apiserver.api.RestfulRoutes;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.handlers.CreateHandler;
import io.kubetwin.apiserver.registry.handlers.DeleteHandler;
import io.kubetwin.apiserver.registry.handlers.GetHandler;
import io.kubetwin.apiserver.registry.handlers.ListHandler;
import io.kubetwin.apiserver.registry.handlers.OutputMediaType;
import io.kubetwin.apiserver.registry.handlers.PatchHandler;
import io.kubetwin.apiserver.registry.handlers.Responses;
import io.kubetwin.apiserver.registry.handlers.Scope;
import io.kubetwin.apiserver.registry.handlers.UpdateHandler;
import io.kubetwin.apiserver.registry.handlers.WatchHandler;
import io.kubetwin.apiserver.request.RequestInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.apiserver.request.ResponseWarnings;
import io.kubetwin.pki.GoText;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serves every resource request (/api/v1/... and /apis/GROUP/VERSION/...) after authentication and
 * authorization: resolves the resource in the {@link ResourceCatalog}, hands virtual resources to their
 * {@link VirtualResource}, and dispatches stored ones to the per-verb handler. Reads
 * {@link RequestState} (request info, effective user, body); records requestObject and responseObject
 * for audit; reports every error by failing the routing context with a StatusException.
 *
 * <p>Thread-safe; one instance serves all requests.
 */
public final class RestHandler implements Handler<RoutingContext> {
    // subresources written through the generic update path; the kind's strategy for the subresource
    // (ResourceStrategy.forSubresource) decides what they may change
    private static final Set<String> SUBRESOURCES_AS_MAIN =
            Set.of("status", "finalize", "approval", "ephemeralcontainers");
    private static final Set<String> NAMED_VERBS = Set.of("get", "update", "patch", "delete");
    /** Served resources whose type is deprecated in v1.34 (their prerelease-lifecycle tags), with the warning text. */
    private static final Map<String, String> DEPRECATED = Map.of(
            "v1/endpoints", "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
            "v1/componentstatuses", "v1 ComponentStatus is deprecated in v1.19+");

    private final GenericRegistry registry;
    private final VirtualResources virtualResources;
    private final boolean watchList;

    /** With kube-apiserver v1.34's WatchList gate (on). */
    public RestHandler(GenericRegistry registry, VirtualResources virtualResources) {
        this(registry, virtualResources, true);
    }

    /** @param watchList the WatchList feature gate: whether a watch may ask for sendInitialEvents */
    public RestHandler(GenericRegistry registry, VirtualResources virtualResources, boolean watchList) {
        this.registry = registry;
        this.virtualResources = virtualResources;
        this.watchList = watchList;
    }

    @Override
    public void handle(RoutingContext rc) {
        if (DeepStack.deep(RequestState.of(rc).body())) {
            // a body nested as deep as Go takes (up to 10,000 levels): decoded, admitted, stored and answered on a
            // context with a deep stack
            onDeepContext(rc);
            return;
        }
        try {
            handleHere(rc);
        } catch (StackOverflowError e) {
            // a read of an object stored from such a body: nothing was written yet, so the read starts again
            if (rc.response().headWritten() || rc.failed()) {
                throw e;
            }
            onDeepContext(rc);
        }
    }

    private void onDeepContext(RoutingContext rc) {
        DeepStack.runOnDeepContext(rc.vertx(), release -> {
            rc.addEndHandler(v -> release.run());
            handleHere(rc);
        });
    }

    private void handleHere(RoutingContext rc) {
        try {
            dispatch(rc);
        } catch (RuntimeException e) {
            Responses.fail(rc, e);
        }
    }

    private void dispatch(RoutingContext rc) {
        RequestState state = RequestState.of(rc);
        RequestInfo info = state.requestInfo();
        if (info == null || !info.resourceRequest()) {
            String[] segments = rc.normalizedPath().split("/");
            if (segments.length > 2
                    && "apis".equals(segments[1])
                    && registry.catalog().all().stream()
                            .noneMatch(r -> r.type().group().equals(segments[2]))) {
                // /apis/<group>[/<version>] of a group not served: no handler owns it, Go's mux answers plain text
                rc.next();
                return;
            }
            throw Statuses.pathNotFound();
        }
        if (!info.apiGroup().isEmpty()
                && registry.catalog().all().stream()
                        .noneMatch(r -> r.type().group().equals(info.apiGroup()))) {
            // no handler owns /apis/<group> (e.g. a deleted CRD's group): Go's mux answers its plain-text 404
            rc.next();
            return;
        }
        ServedResource served = registry.catalog()
                .lookup(info.apiGroup(), info.apiVersion(), info.resource())
                .orElseThrow(Statuses::pathNotFound);
        String subresource = info.subresource();
        if (!subresource.isEmpty() && served.subresource(subresource).isEmpty()) {
            throw Statuses.pathNotFound();
        }
        if (info.parts().size() > 3 && !"proxy".equals(subresource)) {
            // go-restful's routes end at {subresource}; only proxy's route takes a {path:*} after it
            throw Statuses.pathNotFound();
        }
        String deprecation =
                DEPRECATED.get(served.type().apiVersion() + "/" + served.type().plural());
        if (deprecation != null) {
            // the API lifecycle's deprecation warning, on every request to the resource (endpoints/installer.go)
            ResponseWarnings.add(rc, deprecation);
        }
        if (!served.type().namespaced() && !info.namespace().isEmpty() && !isNamespaceObject(served, info)) {
            // cluster-scoped resources have no route under /namespaces/{namespace}/ (go-restful answers 404)
            throw Statuses.pathNotFound();
        }
        String namespace = served.type().namespaced() ? info.namespace() : "";
        // a list/watch by metadata.name is resolved from the field selector; only the URL name addresses one object
        String name = info.parts().size() >= 2 ? info.parts().get(1) : "";
        String verb = info.verb();
        // go-restful has no route for these shapes: 405 for a method the path does not take, 404 for unknown paths
        if (subresource.isEmpty()
                && !name.isEmpty()
                && served.type().verbs().stream().noneMatch(NAMED_VERBS::contains)) {
            // a create-only resource (the reviews) has no {name} route at all
            throw Statuses.pathNotFound();
        }
        if (served.type().namespaced()
                && namespace.isEmpty()
                && !Set.of("list", "watch").contains(verb)) {
            // the all-namespaces path exists only for resources that can be listed
            throw name.isEmpty() && served.type().verbs().contains("list")
                    ? RestfulRoutes.methodNotAllowed()
                    : Statuses.pathNotFound();
        }
        if (subresource.isEmpty()
                && (("create".equals(verb) && !name.isEmpty())
                        || (Set.of("update", "patch").contains(verb) && name.isEmpty()))) {
            throw RestfulRoutes.methodNotAllowed();
        }
        Scope scope =
                new Scope(rc, state, info, served, registry.strategy(served), registry, namespace, name, subresource);

        Optional<VirtualResource> virtual =
                virtualResources.lookup(served.type().group(), served.type().plural(), subresource);
        if (virtual.isEmpty() && !subresource.isEmpty() && !SUBRESOURCES_AS_MAIN.contains(subresource)) {
            // subresources that need a collaborator (exec, log, proxy, ...) are not served by the registry
            throw Statuses.pathNotFound();
        }
        if (!allowed(served, subresource, verb)
                || HttpMethod.HEAD.equals(rc.request().method())) {
            // go-restful routes no HEAD
            throw RestfulRoutes.methodNotAllowed();
        }
        OutputMediaType.checkRoute(scope);
        if (virtual.isEmpty() && !name.isEmpty() && NAMED_STORAGE_VERBS.contains(verb)) {
            checkPathSegmentName(name);
        }
        if (virtual.isPresent()) {
            serveVirtual(scope, virtual.get());
            return;
        }
        switch (verb) {
            case "get" -> GetHandler.handle(scope);
            case "list" -> ListHandler.handle(scope);
            case "watch" -> WatchHandler.handle(scope, watchList);
            case "create" -> CreateHandler.handle(scope);
            case "update" -> UpdateHandler.handle(scope);
            case "patch" -> PatchHandler.handle(scope);
            case "delete" -> DeleteHandler.handle(scope);
            case "deletecollection" -> DeleteHandler.handleCollection(scope);
            default -> throw RestfulRoutes.methodNotAllowed();
        }
    }

    private static final Set<String> NAMED_STORAGE_VERBS = Set.of("get", "update", "patch", "delete");

    /**
     * The storage key functions' check of the URL's name (registry/generic/registry/store.go NamespaceKeyFunc,
     * path.IsValidPathSegmentName), the first thing a named get, update, patch or delete does with it.
     */
    private static void checkPathSegmentName(String name) {
        String problem;
        if (name.equals(".") || name.equals("..")) {
            problem = "may not be '" + name + "'";
        } else {
            List<String> found = new ArrayList<>();
            for (String forbidden : List.of("/", "%")) {
                if (name.contains(forbidden)) {
                    found.add("may not contain '" + forbidden + "'");
                }
            }
            problem = found.isEmpty() ? null : String.join(";", found);
        }
        if (problem != null) {
            throw Statuses.badRequest("Name parameter invalid: " + GoText.quote(name) + ": " + problem);
        }
    }

    /**
     * The namespace object itself is addressed as /api/v1/namespaces/{name}[/status|/finalize], which
     * RequestInfo reads as namespace = name; /api/v1/namespaces/{ns}/namespaces[/{name}] is no route.
     */
    private static boolean isNamespaceObject(ServedResource served, RequestInfo info) {
        long segments =
                Arrays.stream(info.path().split("/")).filter(s -> !s.isEmpty()).count();
        return served.type().group().isEmpty()
                && served.type().plural().equals("namespaces")
                && segments <= 5
                && info.name().equals(info.namespace());
    }

    private static boolean allowed(ServedResource served, String subresource, String verb) {
        if (subresource.isEmpty()) {
            return served.type().verbs().contains(verb);
        }
        return served.subresource(subresource)
                .map(s -> s.verbs().contains(verb))
                .orElse(false);
    }

    private void serveVirtual(Scope scope, VirtualResource virtual) {
        ObjectNode body = null;
        VirtualResource.BodyKind kind = virtual.bodyKind();
        if (kind != null && "patch".equals(scope.info().verb())) {
            // a merge patch document, handed over as is (the scale subresource applies it to its current object)
            String type = BodyDecoder.mediaType(scope.rc().request().getHeader("Content-Type"));
            if (!type.equals("application/merge-patch+json")
                    && !type.equals("application/strategic-merge-patch+json")) {
                throw Statuses.unsupportedMediaType(type);
            }
            BodyDecoder.ParseResult parsed =
                    BodyDecoder.parse(scope.state().body().getBytes(), false);
            if (parsed.error() != null || !parsed.node().isObject()) {
                throw Statuses.badRequest("error decoding patch: "
                        + (parsed.error() != null
                                ? parsed.error()
                                : "json: cannot unmarshal array into Go value of type map[string]interface {}"));
            }
            body = (ObjectNode) parsed.node();
            scope.state().requestObject(body.deepCopy());
        } else if (kind != null
                && Set.of("create", "update").contains(scope.info().verb())) {
            // create and update bodies are decoded and type-checked; other verbs' bodies (DeleteOptions)
            // are left to the handler in RequestState.body()
            if (scope.state().bodyTooLarge()) {
                throw Statuses.requestEntityTooLarge("limit is 3145728");
            }
            String contentType = scope.rc().request().getHeader("Content-Type");
            BodyDecoder.checkMediaType(contentType);
            body = BodyDecoder.decode(
                    scope.state().body().getBytes(),
                    contentType,
                    new BodyDecoder.Expected(
                            kind.group(),
                            kind.version(),
                            kind.kind(),
                            (gv, k) -> registry.catalog()
                                    .lookupKind(
                                            gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "",
                                            gv.contains("/") ? gv.substring(gv.indexOf('/') + 1) : gv,
                                            k)
                                    .isPresent()));
            scope.state().requestObject(body.deepCopy());
        }
        var http = scope.rc().request();
        VirtualResource.Request request = new VirtualResource.Request(
                http.getHeader("Content-Type"),
                http.getHeader("User-Agent"),
                scope.query("fieldManager"),
                scope.query("fieldValidation"),
                scope.state().query().all("dryRun"),
                warning -> ResponseWarnings.add(scope.rc(), warning));
        VirtualResource.Call call = new VirtualResource.Call(
                scope.state(),
                scope.info().verb(),
                scope.namespace(),
                scope.name(),
                scope.subresource(),
                body,
                scope.user(),
                scope.dryRun(),
                request);
        virtual.handle(call, scope.rc())
                .onSuccess(answer -> {
                    if (answer == null) {
                        return;
                    }
                    if (answer.raw() != null) {
                        Responses.writeRaw(scope.rc(), answer.code(), answer.contentType(), answer.raw());
                    } else {
                        Responses.write(scope.rc(), answer.code(), answer.body());
                    }
                })
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }
}
