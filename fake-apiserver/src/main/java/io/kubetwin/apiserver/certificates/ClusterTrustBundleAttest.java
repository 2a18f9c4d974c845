package io.kubetwin.apiserver.certificates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;

/**
 * The ClusterTrustBundleAttest plugin (plugin/pkg/admission/certificates/ctbattest/admission.go), on by
 * default: a ClusterTrustBundle naming a signer may only be written by a user with the {@code attest} verb
 * on that signer (or {@code <domain>/*}), unless the update only touches owner references and finalizers.
 * It acts only with the ClusterTrustBundle feature gate, which is off in v1.34 (the kind is not served
 * then), so the fake builds it switched off.
 */
public final class ClusterTrustBundleAttest implements AdmissionPlugin {
    private final Authorizer authorizer;
    private final boolean featureEnabled;

    public ClusterTrustBundleAttest(Authorizer authorizer, boolean featureEnabled) {
        this.authorizer = authorizer;
        this.featureEnabled = featureEnabled;
    }

    @Override
    public String name() {
        return "ClusterTrustBundleAttest";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!featureEnabled
                || !"certificates.k8s.io".equals(a.resourceGroup())
                || !"clustertrustbundles".equals(a.resource())
                || a.object() == null) {
            return Future.succeededFuture();
        }
        String signer = a.object().path("spec").path("signerName").asText("");
        if (signer.isEmpty()) {
            return Future.succeededFuture();
        }
        if (a.operation() == Operation.UPDATE && a.oldObject() != null && onlyGcFields(a.object(), a.oldObject())) {
            return Future.succeededFuture();
        }
        if (!SignerAuthorization.isAuthorized(authorizer, a.user(), "attest", signer)) {
            return Future.failedFuture(
                    AdmissionErrors.forbidden(a, "user not permitted to attest for signerName \"" + signer + "\""));
        }
        return Future.succeededFuture();
    }

    /** rbac.IsOnlyMutatingGCFields: equal once owner references and finalizers are set aside. */
    private static boolean onlyGcFields(ObjectNode object, ObjectNode old) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode o : new ObjectNode[] {a, b}) {
            if (o.get("metadata") instanceof ObjectNode m) {
                m.remove("ownerReferences");
                m.remove("finalizers");
            }
        }
        return a.equals(b);
    }
}
