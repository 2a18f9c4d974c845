package io.kubetwin.apiserver.registry.handlers;

import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.registry.apply.FieldManagers;
import io.kubetwin.apiserver.registry.apply.WriteManager;
import io.kubetwin.apiserver.request.RequestInfo;
import io.kubetwin.apiserver.request.RequestState;
import io.kubetwin.apiserver.request.ResponseWarnings;
import io.kubetwin.auth.attributes.UserInfo;
import io.vertx.ext.web.RoutingContext;

/**
 * One resource request, resolved: the routing context, its state, the served resource and its strategy.
 *
 * @param namespace the request's namespace ("" for cluster-scoped resources)
 * @param name the object's name from the URL ("" for collections)
 * @param subresource the subresource ("" for none)
 */
public record Scope(
        RoutingContext rc,
        RequestState state,
        RequestInfo info,
        ServedResource served,
        ResourceStrategy strategy,
        GenericRegistry registry,
        String namespace,
        String name,
        String subresource) {

    public UserInfo user() {
        return state.effectiveUser();
    }

    /** First value of a query parameter, or null. */
    public String query(String name) {
        return state.query().first(name);
    }

    /** dryRun=All (the only value upstream accepts besides none). */
    public boolean dryRun() {
        return state.query().all("dryRun").contains("All");
    }

    /** The manager of a write in managedFields: fieldManager, else the User-Agent (managerOrUserAgent). */
    static WriteManager manager(Scope scope) {
        return WriteManager.updater(FieldManagers.manager(
                scope.query("fieldManager"), scope.rc().request().getHeader("User-Agent")));
    }

    /** Where admission's warnings (response headers) and audit annotations for this request go. */
    public AdmissionRecorder recorder() {
        return ResponseWarnings.recorder(rc, state);
    }

    public String group() {
        return served.type().group();
    }

    public String resource() {
        return served.type().plural();
    }
}
