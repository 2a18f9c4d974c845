package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.certificates.CertificateRequest;
import io.kubetwin.apiserver.certificates.CsrObject;
import io.kubetwin.apiserver.certificates.SignerNames;
import io.kubetwin.apiserver.certificates.SignerRules;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * kube-controller-manager's csrapproving controller (pkg/controller/certificates/approver/sarapprove.go):
 * a pending kubelet client CSR (signer kube-apiserver-client-kubelet, a valid node client request) is
 * approved when its requester may {@code create} {@code certificatesigningrequests/selfnodeclient} (for
 * its own node name) or {@code certificatesigningrequests/nodeclient}, asked of the authorizer as the
 * controller's SubjectAccessReview would. Writes the approval subresource as certificate-controller.
 */
final class CsrApprovingController extends QueueController {
    private final Authorizer authorizer;
    private final UserInfo identity = ControllerIdentity.serviceAccount(CsrSigningController.NAME);

    private record Recognizer(String subresource, String message, boolean self) {}

    private static final List<Recognizer> RECOGNIZERS = List.of(
            new Recognizer(
                    "selfnodeclient",
                    "Auto approving self kubelet client certificate after SubjectAccessReview.",
                    true),
            new Recognizer(
                    "nodeclient", "Auto approving kubelet client certificate after SubjectAccessReview.", false));

    CsrApprovingController(Vertx vertx, GenericRegistry registry, Authorizer authorizer) {
        super(vertx, registry, "csrapproving");
        this.authorizer = authorizer;
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(
                CsrSigningController.CSRS,
                (type, csr) -> type == WatchEvent.Type.DELETED
                        ? List.of()
                        : List.of(csr.path("metadata").path("name").asText())));
    }

    @Override
    protected Future<Void> sync(String name) {
        ServedResource served = CsrSigningController.csrs(registry);
        return registry.get(served, "", name)
                .compose(stored -> {
                    CsrObject csr = CsrObject.of(stored);
                    if (!csr.certificate().isEmpty()
                            || csr.hasApprovedCondition()
                            || csr.hasDeniedCondition()
                            || !SignerNames.KUBE_APISERVER_CLIENT_KUBELET.equals(csr.signerName())) {
                        return Future.<Void>succeededFuture();
                    }
                    CertificateRequest request;
                    try {
                        request = CertificateRequest.parse(csr.requestBytes());
                    } catch (CertificateRequest.InvalidRequest e) {
                        return Future.<Void>failedFuture("unable to parse csr \"" + name + "\": " + e.getMessage());
                    }
                    if (SignerRules.kubeletClientError(request, csr.usages()) != null) {
                        return Future.<Void>succeededFuture();
                    }
                    UserInfo requester = new UserInfo(csr.username(), csr.uid(), csr.groups(), csr.extra());
                    for (Recognizer r : RECOGNIZERS) {
                        if (r.self() && !csr.username().equals(request.commonName())) {
                            continue;
                        }
                        boolean allowed = authorizer
                                .authorize(Attributes.resource(
                                        requester,
                                        "create",
                                        "certificates.k8s.io",
                                        "certificatesigningrequests",
                                        r.subresource(),
                                        "",
                                        ""))
                                .isAllowed();
                        if (allowed) {
                            ObjectNode updated = stored.deepCopy();
                            ObjectNode status =
                                    updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
                            ArrayNode conditions =
                                    status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
                            conditions
                                    .addObject()
                                    .put("type", CsrObject.APPROVED)
                                    .put("status", "True")
                                    .put("reason", "AutoApproved")
                                    .put("message", r.message());
                            return registry.update(served, "", name, updated, "approval", identity, false)
                                    .<Void>mapEmpty();
                        }
                    }
                    // upstream answers an ignorable error and does not retry
                    return Future.<Void>succeededFuture();
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }
}
