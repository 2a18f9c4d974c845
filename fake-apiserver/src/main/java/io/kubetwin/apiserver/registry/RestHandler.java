package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.codec.BodyDecoder;
import io.kubetwin.apiserver.registry.handlers.CreateHandler;
import io.kubetwin.apiserver.registry.handlers.DeleteHandler;
import io.kubetwin.apiserver.registry.handlers.GetHandler;
import io.kubetwin.apiserver.registry.handlers.ListHandler;
import io.kubetwin.apiserver.registry.handlers.PatchHandler;
import io.kubetwin.apiserver.registry.handlers.Responses;
import io.kubetwin.apiserver.registry.handlers.Scope;
import io.kubetwin.apiserver.registry.handlers.UpdateHandler;
import io.kubetwin.apiserver.registry.handlers.WatchHandler;
import io.kubetwin.apiserver.request.RequestInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
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
    private static final Set<String> SUBRESOURCES_AS_MAIN = Set.of("status", "finalize");
    private final GenericRegistry registry;
    private final VirtualResources virtualResources;

    public RestHandler(GenericRegistry registry, VirtualResources virtualResources) {
        this.registry = registry;
        this.virtualResources = virtualResources;
    }

    @Override
    public void handle(RoutingContext rc) {
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
            throw Statuses.pathNotFound();
        }
        ServedResource served = registry.catalog().lookup(info.apiGroup(), info.apiVersion(), info.resource())
                .orElseThrow(Statuses::pathNotFound);
        String subresource = info.subresource();
        if (!subresource.isEmpty() && served.subresource(subresource).isEmpty()) {
            throw Statuses.pathNotFound();
        }
        String namespace = served.type().namespaced() ? info.namespace() : "";
        // a list/watch by metadata.name is resolved from the field selector; only the URL name addresses one object
        String name = info.parts().size() >= 2 ? info.parts().get(1) : "";
        String verb = info.verb();
        // go-restful has no route for these shapes: 405 for a method the path does not take, 404 for unknown paths
        if (served.type().namespaced() && namespace.isEmpty() && !Set.of("list", "watch").contains(verb)) {
            throw name.isEmpty() ? methodNotAllowed() : Statuses.pathNotFound();
        }
        if (subresource.isEmpty() && (("create".equals(verb) && !name.isEmpty())
                || (Set.of("update", "patch").contains(verb) && name.isEmpty()))) {
            throw methodNotAllowed();
        }
        Scope scope = new Scope(rc, state, info, served, registry.strategy(served), registry, namespace, name, subresource);

        Optional<VirtualResource> virtual = virtualResources.lookup(served.type().group(), served.type().plural(), subresource);
        if (virtual.isEmpty() && !subresource.isEmpty() && !SUBRESOURCES_AS_MAIN.contains(subresource)) {
            // subresources that need a collaborator (exec, log, proxy, ...) are not served by the registry
            throw Statuses.pathNotFound();
        }
        if (!allowed(served, subresource, verb)) {
            throw methodNotAllowed();
        }
        if (virtual.isPresent()) {
            serveVirtual(scope, virtual.get());
            return;
        }
        switch (verb) {
            case "get" -> GetHandler.handle(scope);
            case "list" -> ListHandler.handle(scope);
            case "watch" -> WatchHandler.handle(scope);
            case "create" -> CreateHandler.handle(scope);
            case "update" -> UpdateHandler.handle(scope);
            case "patch" -> PatchHandler.handle(scope);
            case "delete" -> DeleteHandler.handle(scope);
            case "deletecollection" -> DeleteHandler.handleCollection(scope);
            default -> throw methodNotAllowed();
        }
    }

    private static boolean allowed(ServedResource served, String subresource, String verb) {
        if (subresource.isEmpty()) {
            return served.type().verbs().contains(verb);
        }
        return served.subresource(subresource).map(s -> s.verbs().contains(verb)).orElse(false);
    }

    /** go-restful's answer for a method no route serves. */
    static StatusException methodNotAllowed() {
        return new StatusException(Status.failure(405, "MethodNotAllowed",
                "the server does not allow this method on the requested resource", Status.Details.empty()));
    }

    private void serveVirtual(Scope scope, VirtualResource virtual) {
        ObjectNode body = null;
        VirtualResource.BodyKind kind = virtual.bodyKind();
        // create and update bodies are decoded and type-checked; other verbs' bodies (patches, DeleteOptions)
        // are left to the handler in RequestState.body()
        if (kind != null && Set.of("create", "update").contains(scope.info().verb())) {
            if (scope.state().bodyTooLarge()) {
                throw Statuses.requestEntityTooLarge("limit is 3145728");
            }
            String contentType = scope.rc().request().getHeader("Content-Type");
            BodyDecoder.checkMediaType(contentType);
            body = BodyDecoder.decode(scope.state().body().getBytes(), contentType, new BodyDecoder.Expected(kind.group(),
                    kind.version(), kind.kind(), (gv, k) -> registry.catalog().lookupKind(
                            gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "",
                            gv.contains("/") ? gv.substring(gv.indexOf('/') + 1) : gv, k).isPresent()));
            scope.state().requestObject(body.deepCopy());
        }
        VirtualResource.Call call = new VirtualResource.Call(scope.state(), scope.info().verb(), scope.namespace(),
                scope.name(), scope.subresource(), body, scope.user(), scope.dryRun());
        virtual.handle(call)
                .onSuccess(answer -> Responses.write(scope.rc(), answer.code(), answer.body()))
                .onFailure(e -> Responses.fail(scope.rc(), e));
    }
}
