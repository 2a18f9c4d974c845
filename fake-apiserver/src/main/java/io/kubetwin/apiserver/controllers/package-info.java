/**
 * In-process stand-ins for the kube-controller-manager controllers that security behaviour depends on,
 * so that the fake behaves as a whole control plane (the reference runs the real controller manager). Each
 * controller names the upstream files it mirrors; the deployment controller's arithmetic (revisions, fenceposts,
 * proportional scaling, conditions) is in {@code DeploymentUtil}, apart from its
 * writes. The two largest controllers are split along upstream's files, one package-private class each
 * ({@code Deployment*}: sync.go, rolling.go, recreate.go, rollback.go, progress.go; {@code Job*} and
 * {@code IndexedJobs}: manageJob, the status tracking, indexed_job_utils.go, backoff_utils.go).
 */
package io.kubetwin.apiserver.controllers;
