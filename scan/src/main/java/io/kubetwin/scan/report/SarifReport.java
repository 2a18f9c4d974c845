package io.kubetwin.scan.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.ScanReport;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * SARIF 2.1.0 for code-scanning dashboards: one run, the checks' rules as {@code tool.driver.rules}, one result per
 * finding. A finding is about a cluster, not a file: its location is the apiserver URL (a physical location, which
 * dashboards require) and the subject as a logical location; the evidence goes in the result's properties.
 */
final class SarifReport {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SarifReport() {}

    static String render(ScanReport report, List<Rule> rules) {
        ObjectNode log = JSON.createObjectNode();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        var run = log.putArray("runs").addObject();
        var driver = run.putObject("tool").putObject("driver");
        driver.put("name", "kubetwin-scan");
        driver.put("version", "0.1.0");
        var byId = new LinkedHashMap<String, Integer>();
        var rulesArray = driver.putArray("rules");
        for (var rule : rules) {
            if (byId.containsKey(rule.id())) {
                continue;
            }
            byId.put(rule.id(), byId.size());
            var r = rulesArray.addObject();
            r.put("id", rule.id());
            r.putObject("shortDescription").put("text", rule.title());
            r.putObject("fullDescription").put("text", rule.title() + ". Maps to: " + rule.reference());
            r.putObject("help").put("text", rule.help());
            r.putObject("defaultConfiguration").put("level", rule.severity().sarifLevel());
            var props = r.putObject("properties");
            props.put("security-severity", rule.severity().securitySeverity());
            props.putArray("tags").add("security").add("kubernetes");
        }
        var invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.put("startTimeUtc", report.started().toString());
        invocation.put("endTimeUtc", report.finished().toString());
        var results = run.putArray("results");
        for (var f : report.findings()) {
            var r = results.addObject();
            r.put("ruleId", f.id());
            if (byId.containsKey(f.id())) {
                r.put("ruleIndex", byId.get(f.id()));
            }
            r.put("level", f.severity().sarifLevel());
            r.putObject("message").put("text", f.title() + ": " + f.subject() + ". " + f.detail());
            var location = r.putArray("locations").addObject();
            location.putObject("physicalLocation").putObject("artifactLocation").put("uri", report.server());
            location.putArray("logicalLocations")
                    .addObject()
                    .put("name", f.subject())
                    .put("kind", "resource");
            r.putObject("partialFingerprints").put("kubetwinFinding/v1", f.key());
            var props = r.putObject("properties");
            props.put("severity", f.severity().name());
            props.put("security-severity", f.severity().securitySeverity());
            props.put("reference", f.reference());
            var evidence = props.putArray("evidence");
            for (var e : f.evidence()) {
                var ev = evidence.addObject();
                ev.put("identity", e.identity());
                ev.put("method", e.method());
                ev.put("url", e.url());
                if (e.requestBody() != null) {
                    ev.put("request", e.requestBody());
                }
                ev.put("code", e.code());
                ev.put("answer", e.responseBody());
                if (e.auditId() != null) {
                    ev.put("auditId", e.auditId());
                }
            }
        }
        try {
            return JSON.writeValueAsString(log) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
