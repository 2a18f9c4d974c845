package io.kubetwin.apiserver.authz.rbac;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.vertx.core.Future;
import java.util.Set;

/**
 * Runs the {@link EscalationCheck} on creates and updates of the four RBAC resources, at the point
 * where kube-apiserver's policy-based RBAC storage runs it (pkg/registry/rbac/{role,clusterrole,
 * rolebinding,clusterrolebinding}/policybased/storage.go): after authorization of the write itself,
 * before the object is validated and stored. Installed first in the registry's admission chain;
 * it is not an upstream admission plugin and cannot be disabled.
 */
public final class RbacEscalationGuard implements AdmissionPlugin {
    private static final Set<String> RESOURCES =
            Set.of(Rbac.ROLES, Rbac.CLUSTER_ROLES, Rbac.ROLE_BINDINGS, Rbac.CLUSTER_ROLE_BINDINGS);

    private final EscalationCheck check;

    public RbacEscalationGuard(EscalationCheck check) {
        this.check = check;
    }

    @Override
    public String name() {
        return "RBACEscalationCheck";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!Rbac.GROUP.equals(a.resourceGroup())
                || !RESOURCES.contains(a.resource())
                || !a.subresource().isEmpty()) {
            return Future.succeededFuture();
        }
        String requestName = a.operation() == Operation.CREATE ? "" : a.name();
        return check.check(a.user(), a.resource(), a.namespace(), requestName, a.object(), a.oldObject())
                .<Future<Void>>map(Future::failedFuture)
                .orElseGet(Future::succeededFuture);
    }
}
