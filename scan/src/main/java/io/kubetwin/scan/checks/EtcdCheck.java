package io.kubetwin.scan.checks;

import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import java.util.List;
import java.util.Optional;

/**
 * etcd's client URL reached without a client certificate. etcd serves its v3 JSON gateway on the client port; a
 * count-only range over {@code /registry/} is harmless and proves read access to every object of the cluster. Over
 * https, a server that requires client certificates ends the handshake, so no answer is the safe outcome.
 */
public final class EtcdCheck implements Check {
    static final String SEED = "second seed article, Securing Kubernetes etcd (PKI-based authentication)";
    /** {@code {"key": "/registry/", "range_end": "/registry0", "count_only": true}}, keys base64-encoded. */
    static final String COUNT_REGISTRY =
            "{\"key\":\"L3JlZ2lzdHJ5Lw==\",\"range_end\":\"L3JlZ2lzdHJ5MA==\",\"count_only\":true}";

    /** How the JDK reports a handshake the server ended for want of a client certificate. */
    private static final java.util.regex.Pattern TLS_REFUSAL = java.util.regex.Pattern.compile(
            "certificate_required|bad_certificate|handshake_failure|SSLHandshakeException");

    static final Rule NO_CLIENT_CERT = new Rule(
            "KT-ETCD-NO-CLIENT-CERT",
            "etcd answers clients without a certificate",
            Severity.CRITICAL,
            "CIS 2.2 (--client-cert-auth=true); " + SEED,
            "Access to etcd is root on the cluster: serve it with --client-cert-auth and --trusted-ca-file.");
    static final Rule PLAINTEXT = new Rule(
            "KT-ETCD-PLAINTEXT",
            "etcd serves clients over plain HTTP",
            Severity.HIGH,
            "CIS 2.1 (--cert-file and --key-file); " + SEED,
            "Serve etcd's client URLs over TLS (--cert-file, --key-file).");

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() {
        return "Whether etcd answers a client without a certificate, and whether it speaks plain HTTP";
    }

    @Override
    public List<Rule> rules() {
        return List.of(NO_CLIENT_CERT, PLAINTEXT);
    }

    @Override
    public Optional<String> skipReason(ScanContext context) {
        return context.options().etcdUrls().isEmpty() ? Optional.of("no --etcd URL given") : Optional.empty();
    }

    @Override
    public void run(ScanContext context, Findings out) {
        for (var base : context.options().etcdUrls()) {
            var a = context.plain().send("POST", base.replaceAll("/+$", "") + "/v3/kv/range", COUNT_REGISTRY);
            if (!a.answered()) {
                // https: etcd with --client-cert-auth refuses the handshake (TLS alert certificate_required, or
                // bad_certificate from older Go); anything else (nothing listening, a timeout) decides nothing
                var why = a.exchange().responseBody();
                boolean refused =
                        base.startsWith("https://") && TLS_REFUSAL.matcher(why).find();
                out.note(a.exchange().summary()
                        + (refused ? ": refused without a client certificate: " : ": not reached: ")
                        + why);
                continue;
            }
            if (base.startsWith("http://")) {
                out.add(PLAINTEXT.finding(
                        base, "etcd answered " + a.code() + " over plain HTTP.", List.of(a.exchange())));
            }
            if (a.ok()) {
                out.add(NO_CLIENT_CERT.finding(
                        base,
                        "A range over /registry/ without a client certificate answered " + a.code() + " (count "
                                + a.json().path("count").asText("0") + ").",
                        List.of(a.exchange())));
            } else if (base.startsWith("https://")) {
                out.add(NO_CLIENT_CERT.finding(
                        base,
                        "The TLS handshake without a client certificate succeeded (HTTP " + a.code() + ").",
                        List.of(a.exchange())));
            }
        }
    }
}
