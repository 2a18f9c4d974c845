package io.kubetwin.scenarios.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scenarios.runner.Observation;
import io.kubetwin.scenarios.runner.StepResult;
import io.kubetwin.scenarios.runner.SuiteResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares one suite's results on two targets, step by step. Only steps that ran on both are compared; a step
 * skipped on either side has nothing to compare (the report shows the skip).
 */
public final class TargetComparison {

    private static final List<String> STAGE_ORDER =
            List.of("RequestReceived", "ResponseStarted", "ResponseComplete", "Panic");

    private TargetComparison() {}

    private static String etcdKeys(Observation o) {
        return o.etcd() == null || o.etcd().keys() == null
                ? null
                : String.valueOf(o.etcd().keys());
    }

    private static String etcdError(Observation o) {
        return o.etcd() == null ? null : o.etcd().error();
    }

    public static List<Difference> compare(SuiteResult baseline, SuiteResult other) {
        var out = new ArrayList<Difference>();
        for (var base : baseline.steps()) {
            var step = other.step(base.step().name());
            if (step == null || base.observation() == null || step.observation() == null) {
                continue;
            }
            compareStep(baseline, other, base, step, out);
        }
        return out;
    }

    private static void compareStep(
            SuiteResult baseline, SuiteResult other, StepResult base, StepResult step, List<Difference> out) {
        var a = base.observation();
        var b = step.observation();
        var differ = new Collector(baseline, other, base.step().name(), out);
        if (a.connectionError() != null || b.connectionError() != null) {
            differ.field(
                    "connection",
                    a.connectionError() != null ? a.connectionError() : "answered",
                    b.connectionError() != null ? b.connectionError() : "answered");
        }
        if (a.etcd() != null || b.etcd() != null) {
            differ.field("etcd/keys", etcdKeys(a), etcdKeys(b));
            differ.field("etcd/error", etcdError(a), etcdError(b));
        }
        if (a.response() != null && b.response() != null) {
            var ra = a.response();
            var rb = b.response();
            differ.field("status", String.valueOf(ra.code()), String.valueOf(rb.code()));
            differ.field(
                    "header:content-type",
                    ra.headerLine("content-type").orElse(null),
                    rb.headerLine("content-type").orElse(null));
            var ja = ra.optionalJson();
            var jb = rb.optionalJson();
            boolean statusA =
                    ja.map(j -> "Status".equals(j.path("kind").asText())).orElse(false);
            boolean statusB =
                    jb.map(j -> "Status".equals(j.path("kind").asText())).orElse(false);
            if (statusA != statusB) {
                // One side answered with an error Status, the other with an object: the kinds and the Status message
                // say it all; a field-by-field list of the two unrelated documents would only bury it.
                differ.field(
                        "body/kind",
                        ja.map(j -> j.path("kind").asText(null)).orElse(null),
                        jb.map(j -> j.path("kind").asText(null)).orElse(null));
                differ.field(
                        "body/message",
                        ra.statusMessage().map(Normalizer::text).orElse(null),
                        rb.statusMessage().map(Normalizer::text).orElse(null));
            } else if (statusA) {
                differ.json(
                        "body",
                        ja.map(Normalizer::json).orElse(null),
                        jb.map(Normalizer::json).orElse(null));
            } else if (ja.isEmpty() && jb.isEmpty()) {
                differ.field("body", Normalizer.text(ra.body()), Normalizer.text(rb.body()));
            } else {
                var pointers = new ArrayList<String>();
                pointers.add("/kind");
                pointers.add("/apiVersion");
                pointers.addAll(base.step().compare());
                for (var pointer : pointers) {
                    differ.field(
                            "json:" + pointer,
                            ja.map(j -> text(Normalizer.json(j.at(pointer)))).orElse(null),
                            jb.map(j -> text(Normalizer.json(j.at(pointer)))).orElse(null));
                }
            }
        }
        if (a.kubectl() != null && b.kubectl() != null) {
            differ.field(
                    "kubectl.exitCode",
                    String.valueOf(a.kubectl().exitCode()),
                    String.valueOf(b.kubectl().exitCode()));
            differ.field(
                    "kubectl.stdout",
                    Normalizer.text(a.kubectl().stdout()),
                    Normalizer.text(b.kubectl().stdout()));
            differ.field(
                    "kubectl.stderr",
                    Normalizer.text(a.kubectl().stderr()),
                    Normalizer.text(b.kubectl().stderr()));
        }
        if (a.auditReadable() && b.auditReadable()) {
            compareAudit(a, b, differ);
        }
    }

    private static void compareAudit(Observation a, Observation b, Collector differ) {
        var ea = sorted(a.auditEvents());
        var eb = sorted(b.auditEvents());
        differ.field("audit.events", stages(ea), stages(eb));
        for (int i = 0; i < Math.min(ea.size(), eb.size()); i++) {
            var stage = ea.get(i).path("stage").asText();
            differ.json("audit[" + stage + "]", Normalizer.json(ea.get(i)), Normalizer.json(eb.get(i)));
        }
    }

    private static List<JsonNode> sorted(List<JsonNode> events) {
        var copy = new ArrayList<>(events);
        copy.sort(Comparator.comparingInt(
                        (JsonNode e) -> STAGE_ORDER.indexOf(e.path("stage").asText()))
                .thenComparing(e -> e.path("requestURI").asText())
                .thenComparing(e -> e.path("verb").asText()));
        return copy;
    }

    private static String stages(List<JsonNode> events) {
        return String.join(
                ",",
                events.stream()
                        .map(e ->
                                e.path("stage").asText() + " " + e.path("verb").asText() + " "
                                        + Normalizer.text(e.path("requestURI").asText()))
                        .toList());
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    /** Flattens JSON to pointer → leaf text, so that two documents can be compared field by field. */
    static Map<String, String> flatten(JsonNode node) {
        var out = new TreeMap<String, String>();
        flatten(node, "", out);
        return out;
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> out) {
        if (node == null || node.isMissingNode()) {
            return;
        }
        if (node.isObject() && node.size() > 0) {
            node.fields()
                    .forEachRemaining(e -> flatten(
                            e.getValue(),
                            prefix + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
                            out));
        } else if (node.isArray() && node.size() > 0) {
            for (int i = 0; i < node.size(); i++) {
                flatten(node.get(i), prefix + "/" + i, out);
            }
        } else {
            out.put(
                    prefix.isEmpty() ? "/" : prefix,
                    node.isValueNode() ? node.asText() + (node.isTextual() ? "" : "") : node.toString());
        }
    }

    private record Collector(SuiteResult baseline, SuiteResult other, String step, List<Difference> out) {
        void field(String name, String expected, String actual) {
            if (!Objects.equals(expected, actual)) {
                out.add(new Difference(
                        baseline.suite().name(), step, baseline.target(), other.target(), name, expected, actual));
            }
        }

        void json(String prefix, JsonNode expected, JsonNode actual) {
            var fa = expected == null ? Map.<String, String>of() : flatten(expected);
            var fb = actual == null ? Map.<String, String>of() : flatten(actual);
            var keys = new TreeSet<String>(fa.keySet());
            keys.addAll(fb.keySet());
            for (var key : keys) {
                field(prefix + key, fa.get(key), fb.get(key));
            }
        }
    }
}
