package io.kubetwin.apiserver.controllers;

import io.vertx.core.Future;

/**
 * An in-process stand-in for one kube-controller-manager controller whose effects security tests
 * observe (a namespace's default ServiceAccount, signed certificates, aggregated roles). Started once
 * the store exists and before the bootstrap objects are written, so it sees them.
 */
public interface Controller {
    /** Starts watching; completes once the controller is ready. Called once, by the control plane. */
    Future<Void> start();

    /** Stops watching; idempotent. */
    Future<Void> stop();
}
