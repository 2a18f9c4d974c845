package io.kubetwin.apiserver.controllers;

import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.pki.CertificateAuthority;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/** The controllers every fake cluster runs, in start order. */
public final class Controllers {
    private Controllers() {}

    /**
     * The kube-controller-manager stand-ins: controller ServiceAccounts, the serviceaccount controller,
     * the root-CA publisher, clusterrole aggregation, CSR approving (kubelet client CSRs) and CSR signing
     * with {@code clusterCa} (--cluster-signing-duration's default of one year), resource quota usage, the namespace
     * controller, the ValidatingAdmissionPolicy status controller (type checking), the ReplicaSet, ReplicationController,
     * Deployment, DaemonSet, Job, TTL-after-finished, StatefulSet and CronJob controllers, the endpoints, EndpointSlice and EndpointSlice
     * mirroring controllers and the garbage collector. {@code authorizer}
     * answers the approver's SubjectAccessReviews.
     */
    public static List<Controller> standard(
            Vertx vertx, GenericRegistry registry, CertificateAuthority clusterCa, Authorizer authorizer, Clock clock) {
        return List.of(
                new ControllerServiceAccounts(vertx, registry),
                new ServiceAccountsController(vertx, registry),
                new RootCaPublisher(vertx, registry, clusterCa.certificatePem()),
                new ClusterRoleAggregationController(vertx, registry),
                new CsrApprovingController(vertx, registry, authorizer),
                new CsrSigningController(
                        vertx, registry, clusterCa, CsrSigningController.DEFAULT_SIGNING_DURATION, clock),
                new ResourceQuotaController(vertx, registry, clock),
                new NamespaceController(vertx, registry),
                new PolicyStatusController(vertx, registry),
                new ReplicaSetController(vertx, registry, ReplicaSetController.Kind.REPLICA_SET),
                new ReplicaSetController(vertx, registry, ReplicaSetController.Kind.REPLICATION_CONTROLLER),
                new DeploymentController(vertx, registry),
                new DaemonSetController(vertx, registry),
                new JobController(vertx, registry, clock),
                new TtlAfterFinishedController(vertx, registry, clock),
                new StatefulSetController(vertx, registry, clock),
                new CronJobController(vertx, registry, clock),
                new EndpointsController(vertx, registry),
                new EndpointSliceController(vertx, registry),
                new EndpointSliceMirroringController(vertx, registry),
                new GarbageCollector(vertx, registry));
    }
}
