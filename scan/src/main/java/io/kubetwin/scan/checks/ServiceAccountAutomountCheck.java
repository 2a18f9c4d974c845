package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.util.List;

/**
 * Whether each namespace's {@code default} ServiceAccount hands its token to every pod that does not opt out: a pod
 * gets it unless the pod or the ServiceAccount sets {@code automountServiceAccountToken: false}.
 */
public final class ServiceAccountAutomountCheck implements Check {
    static final Rule AUTOMOUNT = new Rule(
            "KT-SA-AUTOMOUNT",
            "The default ServiceAccount's token is mounted into pods",
            Severity.LOW,
            "CIS 5.1.5 (default service accounts not actively used); CIS 5.1.6 (tokens only mounted where necessary)",
            "Set automountServiceAccountToken: false on the default ServiceAccount of every namespace.");

    @Override
    public String name() {
        return "serviceaccount-automount";
    }

    @Override
    public String description() {
        return "Whether the default ServiceAccount of each namespace automounts its token";
    }

    @Override
    public List<Rule> rules() {
        return List.of(AUTOMOUNT);
    }

    @Override
    public void run(ScanContext context, Findings out) {
        var namespaces = Namespaces.list(context, out);
        if (namespaces == null) {
            return;
        }
        for (var namespace : namespaces.items()) {
            var ns = Namespaces.name(namespace);
            var a = context.user().get("/api/v1/namespaces/" + ns + "/serviceaccounts/default");
            if (!a.ok()) {
                out.note("namespace " + ns + ": " + a.exchange().summary());
                continue;
            }
            var automount = a.json().path("automountServiceAccountToken");
            if (!automount.isBoolean() || automount.asBoolean()) {
                out.add(AUTOMOUNT.finding(
                        ns,
                        "ServiceAccount " + ns + "/default has automountServiceAccountToken "
                                + (automount.isBoolean() ? "true" : "unset (true)") + ".",
                        List.of(a.exchange())));
            }
        }
    }
}
