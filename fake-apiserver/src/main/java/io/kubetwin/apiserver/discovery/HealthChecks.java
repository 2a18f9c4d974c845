package io.kubetwin.apiserver.discovery;

import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The checks behind /healthz, /livez and /readyz, in kube-apiserver v1.34.4's order (recorded from the reference:
 * on etcd, with and without KMS v2 and automatic reload), and the answers of k8s.io/apiserver/pkg/server/healthz
 * healthz.go: handleRootHealth for the root path ({@code ?verbose}, {@code ?exclude=NAME}, the 500 listing every check
 * when one fails) and adaptCheckToHandler for {@code /healthz/NAME}. Only {@code etcd}, {@code etcd-readiness} and
 * {@code kms-providers} can fail in the fake; the post-start hooks and the other checks always pass, as they do on a
 * started reference.
 *
 * <p>Immutable and thread-safe; {@link #root} and {@link #single} block while a check calls etcd or a KMS plugin.
 */
public final class HealthChecks {
    static final String KMS = "kms-providers";
    static final String RELOAD_HOOK = "poststarthook/start-encryption-provider-config-automatic-reload";

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

    /** One named check: {@code check} answers null when healthy, else the error; null for one that always passes. */
    record Check(String name, Supplier<String> check) {
        boolean blocking() {
            return check != null;
        }

        String run() {
            return check == null ? null : check.get();
        }
    }

    private final Supplier<String> etcd;
    private final Supplier<String> kms;
    private final boolean reload;

    /**
     * @param etcd the etcd check (a read with a deadline): null when healthy, else the error; null on the in-memory
     *     storage, where it always passes
     * @param kms the {@code kms-providers} check, null when none is installed (no KMS v2 provider, no reload)
     * @param reload whether {@code --encryption-provider-config-automatic-reload} added its post-start hook
     */
    public HealthChecks(Supplier<String> etcd, Supplier<String> kms, boolean reload) {
        this.etcd = etcd;
        this.kms = kms;
        this.reload = reload;
    }

    /** The checks of {@code endpoint} ("healthz", "livez" or "readyz"), in the order the reference lists them. */
    List<Check> checks(String endpoint) {
        boolean ready = endpoint.equals("readyz");
        boolean live = endpoint.equals("livez");
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("ping", null));
        checks.add(new Check("log", null));
        checks.add(new Check("etcd", etcd));
        if (ready) {
            checks.add(new Check("etcd-readiness", etcd));
        }
        // addHealthChecksWithoutLivez: the KMS check is on /healthz and /readyz only
        if (kms != null && !live) {
            checks.add(new Check(KMS, kms));
        }
        if (ready) {
            checks.add(new Check("informer-sync", null));
        }
        if (reload) {
            checks.add(new Check(RELOAD_HOOK, null));
        }
        POST_START_HOOKS.forEach(h -> checks.add(new Check(h, null)));
        if (ready) {
            checks.add(new Check("shutdown", null));
        }
        return checks;
    }

    /** Whether any check of {@code endpoint} may block (it calls etcd or a plugin): to be run off the event loop. */
    boolean blocking(String endpoint) {
        return checks(endpoint).stream().anyMatch(Check::blocking);
    }

    /** The answer of a health path: its status code and text body. */
    record Answer(int code, String body) {}

    /** One check (adaptCheckToHandler): "ok", or 500 with the error. */
    static Answer single(Check check) {
        String err = check.run();
        return err == null ? new Answer(200, "ok") : new Answer(500, "internal server error: " + err + "\n");
    }

    /**
     * The root endpoint (handleRootHealth): "ok", the verbose listing when asked, the listing with a 500 whenever a
     * check fails; excluded checks are not run.
     *
     * @param excluded the {@code exclude} query values
     * @param verbose whether the query has {@code verbose} (any value, even false)
     */
    Answer root(String endpoint, Collection<String> excluded, boolean verbose) {
        Set<String> unknown = new TreeSet<>(excluded);
        StringBuilder out = new StringBuilder();
        boolean failed = false;
        for (Check check : checks(endpoint)) {
            if (excluded.contains(check.name())) {
                // etcd and etcd-readiness are grouped checks whose group is their own name: no other line
                unknown.remove(check.name());
                out.append("[+]").append(check.name()).append(" excluded: ok\n");
                continue;
            }
            if (check.run() != null) {
                // the reason stays in the log: this endpoint is public
                out.append("[-]").append(check.name()).append(" failed: reason withheld\n");
                failed = true;
            } else {
                out.append("[+]").append(check.name()).append(" ok\n");
            }
        }
        if (!unknown.isEmpty()) {
            out.append("warn: some health checks cannot be excluded: no matches for ")
                    .append(unknown.stream().map(GoText::quote).collect(Collectors.joining(",")))
                    .append('\n');
        }
        if (failed) {
            // http.Error adds the newline
            return new Answer(500, out + endpoint + " check failed\n");
        }
        if (!verbose) {
            return new Answer(200, "ok");
        }
        return new Answer(200, out + endpoint + " check passed\n");
    }
}
