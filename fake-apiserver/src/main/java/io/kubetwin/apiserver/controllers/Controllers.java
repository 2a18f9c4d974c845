package io.kubetwin.apiserver.controllers;

import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.pki.CertificateAuthority;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/** The controllers every fake cluster runs, in start order. */
public final class Controllers {
    private Controllers() {}

    public static List<Controller> standard(Vertx vertx, GenericRegistry registry, CertificateAuthority clusterCa,
                                            Clock clock) {
        return List.of();
    }
}
