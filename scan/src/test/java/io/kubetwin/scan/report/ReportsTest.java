package io.kubetwin.scan.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.kubetwin.scan.model.CheckResult;
import io.kubetwin.scan.model.Exchange;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.ScanReport;
import io.kubetwin.scan.model.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Each format from one small report: structure, escaping, and what a reader or a CI system relies on. */
class ReportsTest {
    static final Rule ANON =
            new Rule("KT-ANON-RESOURCE", "Anonymous clients can list a resource", Severity.HIGH, "CIS 1.2.1", "fix it");
    static final Rule AUTOMOUNT =
            new Rule("KT-SA-AUTOMOUNT", "Token automounted", Severity.LOW, "CIS 5.1.5", "set false");
    static final Exchange SECRETS = new Exchange(
            "anonymous",
            "GET",
            "https://127.0.0.1:6443/api/v1/secrets",
            null,
            200,
            "{\"kind\":\"SecretList\",\"items\":[]}",
            "kubetwin-scan-x-1");

    static ScanReport report() {
        var t = Instant.parse("2026-12-06T20:00:00Z");
        return new ScanReport(
                "https://127.0.0.1:6443",
                "kubernetes-admin [system:masters, system:authenticated]",
                t,
                t.plusMillis(1500),
                false,
                List.of(
                        new CheckResult(
                                "anonymous-reach",
                                "What anonymous clients reach",
                                null,
                                List.of(
                                        ANON.finding(
                                                Severity.CRITICAL,
                                                "list secrets",
                                                "GET answered 200 <&>\"",
                                                List.of(SECRETS)),
                                        AUTOMOUNT.finding("default", "automount unset", List.of(SECRETS))),
                                List.of("a note"),
                                12),
                        new CheckResult("quiet", "Finds nothing", null, List.of(), List.of(), 3),
                        CheckResult.skipped("kubelet", "The kubelet", "no --kubelet URL given")));
    }

    @Test
    void sarifHasEveryRequiredFieldOfSarif210() throws Exception {
        var sarif = ReportFormat.SARIF.render(report(), List.of(ANON, AUTOMOUNT));
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(getClass().getResourceAsStream("/sarif/sarif-2.1.0-required.schema.json"));
        assertEquals(
                List.of(),
                schema.validate(sarif, InputFormat.JSON).stream()
                        .map(Object::toString)
                        .toList());

        var json = new ObjectMapper().readTree(sarif);
        var result = json.path("runs").get(0).path("results").get(0);
        assertEquals("KT-ANON-RESOURCE", result.path("ruleId").asText());
        assertEquals(0, result.path("ruleIndex").asInt());
        assertEquals("error", result.path("level").asText());
        assertEquals(
                "note",
                json.path("runs").get(0).path("results").get(1).path("level").asText());
        assertEquals(
                "https://127.0.0.1:6443/api/v1/secrets",
                result.path("properties").path("evidence").get(0).path("url").asText());
    }

    @Test
    void aSarifWithoutItsRequiredFieldsFailsTheSchema() throws Exception {
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(getClass().getResourceAsStream("/sarif/sarif-2.1.0-required.schema.json"));
        // the test of the test: results without message, a driver without name, a wrong version
        assertEquals(
                3,
                schema.validate(
                                "{\"version\":\"2.0.0\",\"runs\":[{\"tool\":{\"driver\":{}},\"results\":[{\"ruleId\":\"x\"}]}]}",
                                InputFormat.JSON)
                        .size());
    }

    @Test
    void junitXmlCountsFindingsAsFailuresAndSkippedChecks() throws Exception {
        var xml = ReportFormat.JUNIT.render(report(), List.of());
        var doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        var suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("4", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("skipped"));
        var first = (Element) doc.getElementsByTagName("testcase").item(0);
        assertEquals("KT-ANON-RESOURCE list secrets", first.getAttribute("name"));
        var failure = (Element) first.getElementsByTagName("failure").item(0);
        assertEquals("CRITICAL", failure.getAttribute("type"));
        assertTrue(failure.getTextContent().startsWith("GET answered 200 <&>\""), failure.getTextContent());
    }

    @Test
    void markdownShowsSummaryFindingsEvidenceAndSkips() {
        var md = ReportFormat.MD.render(report(), List.of());
        assertTrue(md.contains("| CRITICAL | 1 |\n| HIGH | 0 |\n| MEDIUM | 0 |\n| LOW | 1 |\n| INFO | 0 |"), md);
        assertTrue(
                md.contains("### CRITICAL KT-ANON-RESOURCE: Anonymous clients can list a resource (list secrets)"), md);
        assertTrue(
                md.contains(
                        "anonymous: GET https://127.0.0.1:6443/api/v1/secrets -> 200   Audit-ID: kubetwin-scan-x-1"),
                md);
        assertTrue(md.contains("Skipped: no --kubelet URL given."), md);
        assertTrue(md.contains("- a note"), md);
    }

    @Test
    void htmlHasAChartBarPerSeverityAndEscapesText() {
        var html = ReportFormat.HTML.render(report(), List.of());
        assertEquals(5, html.split("<rect ", -1).length - 1, html);
        assertTrue(html.contains("GET answered 200 &lt;&amp;&gt;&quot;"), html);
        assertTrue(!html.contains("200 <&>"), html);
    }
}
