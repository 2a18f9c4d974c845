package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The AlwaysPullImages plugin (plugin/pkg/admission/alwayspullimages/admission.go): every container, init
 * container and ephemeral container of a pod, and every image volume, is pulled with {@code Always}, so a
 * pod cannot use an image cached on the node without the credentials to pull it. Pod updates that bring no
 * new image are left alone. The validating phase refuses a policy a later mutation changed back: upstream
 * returns an aggregate of Forbidden errors, which the apiserver answers as a 500 with no reason.
 */
public final class AlwaysPullImages implements AdmissionPlugin {

    @Override
    public String name() {
        return "AlwaysPullImages";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    private static boolean ignored(AdmissionAttributes a) {
        if (!a.subresource().isEmpty()
                || !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || a.object() == null) {
            return true;
        }
        if (a.operation() != Operation.UPDATE || a.oldObject() == null) {
            return false;
        }
        Set<String> oldImages = new HashSet<>();
        visit(
                a.oldObject().path("spec"),
                (c, path) -> oldImages.add(c.path("image").asText()));
        Set<String> newImages = new HashSet<>();
        visit(
                a.object().path("spec"),
                (c, path) -> newImages.add(c.path("image").asText()));
        return oldImages.containsAll(newImages);
    }

    /** pods.VisitContainersWithPath: init containers, containers, then ephemeral containers. */
    static void visit(JsonNode spec, BiConsumer<ObjectNode, String> visitor) {
        for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
            int i = 0;
            for (JsonNode c : spec.path(list)) {
                if (c instanceof ObjectNode o) {
                    visitor.accept(o, "spec." + list + "[" + i + "]");
                }
                i++;
            }
        }
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        JsonNode spec = a.object().path("spec");
        visit(spec, (c, path) -> c.put("imagePullPolicy", "Always"));
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("image") instanceof ObjectNode image) {
                image.put("pullPolicy", "Always");
            }
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        JsonNode spec = a.object().path("spec");
        List<String> errors = new ArrayList<>();
        visit(spec, (c, path) -> {
            String policy = c.path("imagePullPolicy").asText("");
            if (!"Always".equals(policy)) {
                errors.add(notSupported(a, path + ".imagePullPolicy", policy));
            }
        });
        int i = 0;
        for (JsonNode v : spec.path("volumes")) {
            if (v.path("image").isObject()
                    && !"Always".equals(v.path("image").path("pullPolicy").asText(""))) {
                errors.add(notSupported(
                        a,
                        "spec.volumes[" + i + "].image.pullPolicy",
                        v.path("image").path("pullPolicy").asText("")));
            }
            i++;
        }
        if (errors.isEmpty()) {
            return Future.succeededFuture();
        }
        // utilerrors.NewAggregate of StatusErrors is not itself a StatusError
        Set<String> unique = new LinkedHashSet<>(errors);
        String message = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", unique) + "]";
        return Future.failedFuture(new StatusException(Status.failure(500, "", message, null)));
    }

    private static String notSupported(AdmissionAttributes a, String path, String value) {
        return AdmissionErrors.forbidden(
                        a, path + ": Unsupported value: \"" + value + "\": supported values: \"Always\"")
                .status()
                .message();
    }
}
