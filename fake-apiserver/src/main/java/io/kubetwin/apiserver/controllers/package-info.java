/**
 * In-process stand-ins for the kube-controller-manager controllers that security behaviour depends on,
 * so that the fake behaves as a whole control plane (the reference runs the real controller manager). Each
 * controller names the upstream files it mirrors; the deployment controller's arithmetic (revisions, fenceposts,
 * proportional scaling, conditions) is in {@code DeploymentUtil}, apart from its
 * writes.
 */
package io.kubetwin.apiserver.controllers;
