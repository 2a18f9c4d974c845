package io.kubetwin.apiserver.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The named checks behind /healthz and /readyz that can fail in the fake: today only {@code kms-providers}, which
 * kube-apiserver installs on both (not on /livez) when KMS v2 providers are configured
 * (k8s.io/apiserver/pkg/server/options/etcd.go addHealthChecksWithoutLivez). When it fails, the root endpoint
 * answers as handleRootHealth does (pkg/server/healthz/healthz.go): every check listed, the failed one with its
 * reason withheld; the list is kube-apiserver v1.34.4's, recorded from the reference with KMS v2 configured.
 */
final class HealthChecks {
    static final String KMS = "kms-providers";

    private static final List<String> POST_START_HOOKS = List.of(
            "poststarthook/start-apiserver-admission-initializer",
            "poststarthook/generic-apiserver-start-informers",
            "poststarthook/priority-and-fairness-config-consumer",
            "poststarthook/priority-and-fairness-filter",
            "poststarthook/storage-object-count-tracker-hook",
            "poststarthook/start-apiextensions-informers",
            "poststarthook/start-apiextensions-controllers",
            "poststarthook/crd-informer-synced",
            "poststarthook/start-system-namespaces-controller",
            "poststarthook/start-cluster-authentication-info-controller",
            "poststarthook/start-kube-apiserver-identity-lease-controller",
            "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
            "poststarthook/start-legacy-token-tracking-controller",
            "poststarthook/start-service-ip-repair-controllers",
            "poststarthook/rbac/bootstrap-roles",
            "poststarthook/scheduling/bootstrap-system-priority-classes",
            "poststarthook/priority-and-fairness-config-producer",
            "poststarthook/bootstrap-controller",
            "poststarthook/start-kubernetes-service-cidr-controller",
            "poststarthook/start-kube-aggregator-informers",
            "poststarthook/apiservice-status-local-available-controller",
            "poststarthook/apiservice-status-remote-available-controller",
            "poststarthook/apiservice-registration-controller",
            "poststarthook/apiservice-discovery-controller",
            "poststarthook/kube-apiserver-autoregistration",
            "autoregister-completion",
            "poststarthook/apiservice-openapi-controller",
            "poststarthook/apiservice-openapiv3-controller");

    private final Supplier<String> kms;

    /** @param kms the kms-providers check (null when none is installed): null when healthy, else its error */
    HealthChecks(Supplier<String> kms) {
        this.kms = kms;
    }

    /** Whether {@code name} is a check of {@code endpoint} ("healthz", "readyz" or "livez"). */
    boolean has(String endpoint, String name) {
        return kms != null && name.equals(KMS) && !endpoint.equals("livez");
    }

    /** Whether {@code endpoint}'s checks may block (they call a plugin): to be run off the event loop. */
    boolean blocking(String endpoint) {
        return kms != null && !endpoint.equals("livez");
    }

    /** One check (adaptCheckToHandler): null when it passes, else the 500 body. Blocks up to the plugin's timeout. */
    String single(String name) {
        String err = kms.get();
        return err == null ? null : "internal server error: " + err + "\n";
    }

    /** The root endpoint: null when every check passes, else the 500 body. Blocks up to the plugin's timeout. */
    String root(String endpoint) {
        if (!blocking(endpoint) || kms.get() == null) {
            return null;
        }
        List<String> names = new ArrayList<>(List.of("ping", "log", "etcd"));
        if (endpoint.equals("readyz")) {
            names.add("etcd-readiness");
        }
        names.add(KMS);
        if (endpoint.equals("readyz")) {
            names.add("informer-sync");
        }
        names.addAll(POST_START_HOOKS);
        if (endpoint.equals("readyz")) {
            names.add("shutdown");
        }
        StringBuilder body = new StringBuilder();
        for (String name : names) {
            body.append(name.equals(KMS) ? "[-]" + name + " failed: reason withheld\n" : "[+]" + name + " ok\n");
        }
        return body.append(endpoint).append(" check failed\n").toString();
    }
}
