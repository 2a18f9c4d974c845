package io.kubetwin.scenarios.runner;

import io.kubetwin.scenarios.model.EtcdExpectation;
import io.kubetwin.scenarios.model.Expectation;
import io.kubetwin.scenarios.model.TextMatch;
import java.util.ArrayList;
import java.util.List;

/** Checks an {@link Observation} against an {@link Expectation}; each failure is one readable line. */
public final class ExpectationEvaluator {

    private ExpectationEvaluator() {}

    public static List<String> failures(Expectation e, Observation o) {
        var out = new ArrayList<String>();
        if (o.connectionError() != null || e.connectionRefused()) {
            if (!Observation.CONNECTION_REFUSED.equals(o.connectionError()) || !e.connectionRefused()) {
                out.add("connection: expected " + (e.connectionRefused() ? "refused" : "an answer") + ", got "
                        + (o.connectionError() != null
                                ? o.connectionError()
                                : o.response() != null
                                        ? "status " + o.response().code()
                                        : "an answer"));
            }
            if (o.connectionError() != null) {
                return out;
            }
        }
        var etcd = o.etcd();
        if (etcd != null || e.etcd() != null) {
            etcdFailures(out, e.etcd(), etcd);
        }
        var r = o.response();
        if (r != null) {
            if (e.status() != null && e.status() != r.code()) {
                out.add("status: expected " + e.status() + ", got " + r.code() + brief(r.body()));
            }
            if (e.reason() != null) {
                var reason = r.statusReason().orElse(null);
                if (!e.reason().equals(reason)) {
                    out.add("reason: expected " + e.reason() + ", got " + reason);
                }
            }
            text(out, "message", e.message(), r.statusMessage().orElse(null));
            text(out, "body", e.body(), r.body());
            var json = r.optionalJson();
            e.json().forEach((pointer, expected) -> {
                var actual = json.map(j -> j.at(pointer)).orElse(null);
                if (actual == null || !actual.equals(expected)) {
                    out.add("json " + pointer + ": expected " + expected + ", got "
                            + (actual == null || actual.isMissingNode() ? "(absent)" : actual));
                }
            });
            e.jsonText().forEach((pointer, expected) -> {
                var actual = json.map(j -> j.at(pointer))
                        .filter(n -> !n.isMissingNode())
                        .map(n -> n.isValueNode() ? n.asText() : n.toString())
                        .orElse(null);
                text(out, "json " + pointer, expected, actual);
            });
            e.headers()
                    .forEach((name, expected) -> text(
                            out, "header " + name, expected, r.headerLine(name).orElse(null)));
        } else if (hasHttpExpectations(e)) {
            out.add("HTTP expectations on " + (etcd != null ? "an etcd" : "a kubectl") + " step");
        }
        var k = o.kubectl();
        if (k != null) {
            if (e.exitCode() != null && e.exitCode() != k.exitCode()) {
                out.add("exit code: expected " + e.exitCode() + ", got " + k.exitCode() + brief(k.stderr()));
            }
            text(out, "stdout", e.stdout(), k.stdout());
            text(out, "stderr", e.stderr(), k.stderr());
        } else if (e.exitCode() != null || e.stdout() != null || e.stderr() != null) {
            out.add("kubectl expectations on an API request step");
        }
        if (e.audit() != null) {
            if (!o.auditReadable()) {
                out.add("audit expectations but the audit log is not readable");
            } else {
                for (var must : e.audit().must()) {
                    var matching = o.auditEvents().stream()
                            .filter(ev -> AuditMatcher.matches(must, ev))
                            .count();
                    boolean ok = must.count() == null ? matching > 0 : matching == must.count();
                    if (!ok) {
                        var lines = new StringBuilder("audit: expected " + (must.count() == null ? "an" : must.count())
                                + " event matching " + AuditMatcher.describe(must) + ", found " + matching + " among "
                                + o.auditEvents().size() + ":");
                        for (var ev : o.auditEvents()) {
                            lines.append("\n    ")
                                    .append(AuditMatcher.summary(ev))
                                    .append(" -- ")
                                    .append(String.join("; ", AuditMatcher.mismatches(must, ev)));
                        }
                        out.add(lines.toString());
                    }
                }
                for (var mustNot : e.audit().mustNot()) {
                    o.auditEvents().stream()
                            .filter(ev -> AuditMatcher.matches(mustNot, ev))
                            .findFirst()
                            .ifPresent(ev -> out.add("audit: unexpected event " + AuditMatcher.summary(ev)
                                    + " matching " + AuditMatcher.describe(mustNot)));
                }
            }
        }
        return out;
    }

    private static void etcdFailures(List<String> out, EtcdExpectation expected, EtcdAnswer actual) {
        if (actual == null) {
            out.add("etcd expectations on a step that is not an etcd read");
            return;
        }
        if (expected == null) {
            return;
        }
        if (expected.keys() != null && !expected.keys().equals(actual.keys())) {
            out.add("etcd keys: expected " + expected.keys() + ", got "
                    + (actual.keys() != null ? actual.keys() : "error " + quote(actual.error())));
        }
        text(out, "etcd error", expected.error(), actual.error());
    }

    private static boolean hasHttpExpectations(Expectation e) {
        return e.status() != null
                || e.reason() != null
                || e.message() != null
                || e.body() != null
                || !e.json().isEmpty()
                || !e.jsonText().isEmpty()
                || !e.headers().isEmpty();
    }

    private static void text(List<String> out, String what, TextMatch expected, String actual) {
        if (expected != null && !expected.matches(actual)) {
            out.add(what + ": expected " + quote(expected.toString()) + ", got " + quote(actual));
        }
    }

    private static String quote(String s) {
        return s == null ? "(absent)" : "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static String brief(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        var trimmed = body.strip().replace("\n", "\\n");
        return " (" + (trimmed.length() > 300 ? trimmed.substring(0, 300) + "..." : trimmed) + ")";
    }
}
