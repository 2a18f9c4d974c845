package io.kubetwin.scan;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.scan.checks.AdmissionCheck;
import io.kubetwin.scan.checks.AnonymousReachCheck;
import io.kubetwin.scan.checks.AuditPresenceCheck;
import io.kubetwin.scan.checks.Check;
import io.kubetwin.scan.checks.EtcdCheck;
import io.kubetwin.scan.checks.Findings;
import io.kubetwin.scan.checks.KubeletCheck;
import io.kubetwin.scan.checks.PodSecurityLabelsCheck;
import io.kubetwin.scan.checks.RbacCheck;
import io.kubetwin.scan.checks.ScanContext;
import io.kubetwin.scan.checks.ServiceAccountAutomountCheck;
import io.kubetwin.scan.model.CheckResult;
import io.kubetwin.scan.model.ScanReport;
import io.kubetwin.scan.probe.ApiProbe;
import io.kubetwin.scan.probe.PlainProbe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Runs the checks against one cluster, in order, and collects their results. The audit check comes last so that it
 * can look for every earlier request of the scan in the audit log.
 */
public final class Scanner {
    private final List<Check> checks;

    public Scanner(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The checks of {@code kubetwin scan}, in the order they run. */
    public static Scanner standard() {
        return new Scanner(List.of(
                new AnonymousReachCheck(),
                new RbacCheck(),
                new ServiceAccountAutomountCheck(),
                new PodSecurityLabelsCheck(),
                new KubeletCheck(),
                new EtcdCheck(),
                new AdmissionCheck(),
                new AuditPresenceCheck()));
    }

    public List<Check> checks() {
        return checks;
    }

    /** Scans the cluster of {@code kubeconfig}'s current context as its user. */
    public ScanReport scan(Kubeconfig kubeconfig, ScanOptions options) {
        var started = Instant.now();
        var run = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        var auditIds = new ApiProbe.AuditIds(run);
        var userName = kubeconfig.currentUser().map(Kubeconfig.User::name).orElse("kubeconfig user");
        var user = new ApiProbe(userName, ApiClient.of(kubeconfig), auditIds);
        var anonymous = new ApiProbe("anonymous", ApiClient.of(anonymousOf(kubeconfig)), auditIds);
        var identity = ScanContext.whoAmI(user);
        var context = new ScanContext(user, anonymous, new PlainProbe(), options, auditIds, identity);
        var results = new ArrayList<CheckResult>();
        for (var check : checks) {
            var skip = check.skipReason(context);
            if (skip.isPresent()) {
                results.add(CheckResult.skipped(check.name(), check.description(), skip.get()));
                continue;
            }
            int before = auditIds.sent();
            var out = new Findings();
            check.run(context, out);
            results.add(new CheckResult(
                    check.name(), check.description(), null, out.findings(), out.notes(), auditIds.sent() - before));
        }
        var who = identity == null ? userName : identity.name() + " " + identity.groups();
        return new ScanReport(kubeconfig.server(), who, started, Instant.now(), options.allowWrites(), results);
    }

    /** The same cluster (server, CA, TLS settings) with a user that has no credentials. */
    static Kubeconfig anonymousOf(Kubeconfig kubeconfig) {
        var cluster = kubeconfig.currentCluster();
        return Kubeconfig.builder()
                .cluster(cluster)
                .user(new Kubeconfig.User("anonymous", null, null, null, null, null, null, null, null))
                .context("anonymous", cluster.name(), "anonymous")
                .currentContext("anonymous")
                .baseDirectory(kubeconfig.baseDirectory())
                .build();
    }
}
