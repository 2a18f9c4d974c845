package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.policy.Policies.Binding;
import io.kubetwin.apiserver.admission.policy.Policies.ParamRef;
import io.kubetwin.apiserver.admission.policy.Policies.Policy;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The params of one binding (generic.CollectParams in policy_dispatcher.go): none needed gives one null
 * param; otherwise the object named by paramRef, or every object its selector picks, in paramRef's
 * namespace or else the request's; when none is found, parameterNotFoundAction Deny is a configuration
 * error and Allow skips the binding.
 */
final class PolicyParams {

    /** A configuration error, worded as upstream (prefixed "failed to configure binding: " by the caller). */
    static final class ParamsException extends RuntimeException {
        ParamsException(String message) {
            super(message, null, false, false);
        }
    }

    private final Storage storage;
    private final ResourceCatalog catalog;

    PolicyParams(Storage storage, ResourceCatalog catalog) {
        this.storage = storage;
        this.catalog = catalog;
    }

    Future<List<JsonNode>> collect(Policy policy, Binding binding, String requestNamespace) {
        if (policy.paramKind() == null) {
            return Future.succeededFuture(Collections.singletonList(null));
        }
        ParamRef ref = binding.paramRef();
        if (ref == null) {
            return Future.failedFuture(new ParamsException("paramRef is required when paramKind is set"));
        }
        String apiVersion = policy.paramKind().apiVersion();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        Optional<ServedResource> served =
                catalog.lookupKind(group, version, policy.paramKind().kind());
        if (served.isEmpty()) {
            return Future.failedFuture(new ParamsException("failed to find resource referenced by paramKind: '" + group
                    + "/" + version + ", Kind=" + policy.paramKind().kind() + "'"));
        }
        ServedResource r = served.get();
        String namespace = "";
        if (r.type().namespaced()) {
            namespace = !ref.namespace().isEmpty() ? ref.namespace() : requestNamespace;
            if (namespace.isEmpty()) {
                return Future.failedFuture(new ParamsException(
                        "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources"));
            }
        }
        Future<List<JsonNode>> found;
        if (!ref.name().isEmpty()) {
            found = storage.get(r.storageKey().object(namespace, ref.name()))
                    .map(o -> List.<JsonNode>of(o))
                    .recover(e -> e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                            ? Future.succeededFuture(List.of())
                            : Future.failedFuture(e));
        } else {
            found = storage.list(r.storageKey(), r.type().namespaced() ? namespace : null)
                    .map(list -> {
                        List<JsonNode> selected = new ArrayList<>();
                        list.items().stream()
                                .filter(o -> ref.selector().matches(ResourceMatcher.labels(o)))
                                .forEach(selected::add);
                        return selected;
                    });
        }
        return found.compose(objects -> {
            if (objects.isEmpty() && !"Allow".equals(ref.notFoundAction())) {
                return Future.failedFuture(
                        new ParamsException("no params found for policy binding with `Deny` parameterNotFoundAction"));
            }
            return Future.succeededFuture(objects);
        });
    }
}
