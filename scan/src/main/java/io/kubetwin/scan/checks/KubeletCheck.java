package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.util.List;
import java.util.Optional;

/**
 * The kubelet's ports probed without credentials, as the second seed article's {@code curl -k
 * https://localhost:10250/pods} does: on the authenticated port (https) a 401 is the only safe answer (403 means
 * anonymous authentication is on and only authorization stopped it; 200 means anyone can list pods and, with the
 * same grants, exec into them); on the read-only port (http) any answer at all is an open port.
 */
public final class KubeletCheck implements Check {
    static final String SEED = "second seed article, Kubelet security - access to the kubelet API";

    static final Rule ANONYMOUS_ACCESS = new Rule(
            "KT-KUBELET-ANON",
            "The kubelet API answers anonymous clients",
            Severity.CRITICAL,
            "CIS 4.2.1 (--anonymous-auth=false); CIS 4.2.2 (--authorization-mode not AlwaysAllow); " + SEED,
            "Run the kubelet with --anonymous-auth=false, --client-ca-file and --authorization-mode=Webhook.");
    static final Rule ANONYMOUS_AUTH = new Rule(
            "KT-KUBELET-ANON-AUTH",
            "The kubelet authenticates anonymous clients",
            Severity.LOW,
            "CIS 4.2.1 (--anonymous-auth=false); " + SEED,
            "Authorization refused the request, but anonymous authentication should be off (--anonymous-auth=false).");
    static final Rule READ_ONLY = new Rule(
            "KT-KUBELET-READONLY",
            "The kubelet's read-only port is open",
            Severity.MEDIUM,
            "CIS 4.2.4 (--read-only-port=0); " + SEED,
            "Set --read-only-port=0 (readOnlyPort: 0): it serves pods and specs with no authentication at all.");

    @Override
    public String name() {
        return "kubelet";
    }

    @Override
    public String description() {
        return "Whether the kubelet's HTTPS port answers anonymous clients and whether its read-only port is open";
    }

    @Override
    public List<Rule> rules() {
        return List.of(ANONYMOUS_ACCESS, ANONYMOUS_AUTH, READ_ONLY);
    }

    @Override
    public Optional<String> skipReason(ScanContext context) {
        return context.options().kubeletUrls().isEmpty() ? Optional.of("no --kubelet URL given") : Optional.empty();
    }

    @Override
    public void run(ScanContext context, Findings out) {
        for (var base : context.options().kubeletUrls()) {
            var url = base.replaceAll("/+$", "") + "/pods";
            var a = context.plain().send("GET", url, null);
            if (!a.answered()) {
                out.note(a.exchange().summary() + ": " + a.exchange().responseBody());
                continue;
            }
            if (base.startsWith("http://")) {
                if (a.ok()) {
                    out.add(READ_ONLY.finding(
                            base, "GET " + url + " answered " + a.code() + " over plain HTTP.", List.of(a.exchange())));
                }
            } else if (a.ok()) {
                out.add(ANONYMOUS_ACCESS.finding(
                        base, "GET " + url + " without credentials answered " + a.code() + ".", List.of(a.exchange())));
            } else if (a.code() == 403) {
                out.add(ANONYMOUS_AUTH.finding(
                        base,
                        "GET " + url + " without credentials was authenticated and then refused: "
                                + a.exchange().responseBody().strip(),
                        List.of(a.exchange())));
            }
        }
    }
}
