package io.kubetwin.scan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Rule files in Falco's format: the starter set, a user's file through the command, and malformed files. */
class RuleFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theStarterSetHasTwentyRulesAndBodyRulesNeedRequest() {
        var rules = StarterRules.all();
        assertEquals(20, rules.size());
        for (var rule : rules) {
            boolean body = rule.fields().stream().anyMatch(f -> f.startsWith("ka.req."));
            assertEquals(body ? AuditLevel.Request : AuditLevel.Metadata, rule.needs(), rule.id());
        }
    }

    /** Events as kube-apiserver writes them (only the fields the rules read), and which starter rules fire on each. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'verb':'get','user':{'username':'system:anonymous'},'objectRef':{'resource':'pods'}} | anonymous-request",
                "{'verb':'create','user':{'username':'alice'},'objectRef':{'resource':'pods','subresource':'exec'}} | exec-into-pod",
                "{'verb':'get','user':{'username':'alice'},'objectRef':{'resource':'secrets','name':'s'}} | secret-get",
                "{'verb':'get','user':{'username':'alice'},'objectRef':{'resource':'secrets','subresource':'x'}} | ",
                "{'verb':'get','user':{'username':'alice'},'impersonatedUser':{'username':'bob'},'objectRef':{'resource':'pods'}} | impersonation",
                "{'verb':'create','objectRef':{'resource':'pods'},'requestObject':{'spec':{'containers':[{'image':'myregistry.io/a'},{'image':'myregistry.io/b','securityContext':{'privileged':true}}]}}} | privileged-pod",
                "{'verb':'create','objectRef':{'resource':'pods'},'requestObject':{'spec':{'containers':[{'image':'myregistry.io/a'},{'image':'evil.io/b'}]}}} | untrusted-image",
                "{'verb':'create','objectRef':{'resource':'pods'},'requestObject':{'spec':{'containers':[{'image':'myregistry.io/a'}]}}} | ",
                "{'verb':'create','objectRef':{'resource':'pods'}} | ",
                "{'verb':'create','objectRef':{'resource':'pods'},'requestObject':{'spec':{'hostNetwork':true,'volumes':[{'hostPath':{'path':'/'}}],'containers':[{'image':'myregistry.io/a'}]}}} | hostpath-pod host-network-pod",
                "{'verb':'create','objectRef':{'resource':'configmaps'},'requestObject':{'data':{'DB_PASSWORD':'x'}}} | configmap-with-credentials",
                "{'verb':'create','objectRef':{'resource':'clusterroles'},'requestObject':{'rules':[{'verbs':['get'],'resources':['*']}]}} | clusterrole-wildcard",
                "{'verb':'create','objectRef':{'resource':'clusterroles'},'requestObject':{'rules':[{'verbs':['get'],'resources':['pods']}]}} | ",
            })
    void theStarterRulesFireOnWhatTheyDescribe(String event, String fires) throws Exception {
        JsonNode e = JSON.readTree(event.replace('\'', '"'));
        ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("stage", "ResponseComplete");
        var fired = StarterRules.all().stream()
                .filter(r -> r.firesOn(e))
                .map(DetectionRule::id)
                .toList();
        assertEquals(fires == null ? List.of() : List.of(fires.split(" ")), fired);
    }

    @Test
    void aUsersRuleFileIsAnalysedByTheCommand() throws Exception {
        var file = dir.resolve("my-rules.yaml");
        Files.writeString(file, """
                - list: admins
                  items: [alice, bob]
                - macro: by_admin
                  condition: ka.user.name in (admins)
                - rule: Admin Reads ConfigMap
                  desc: an admin reads a configmap
                  condition: by_admin and ka.verb=get and ka.target.resource=configmaps
                  output: "%ka.user.name read %ka.target.name"
                  priority: INFO
                  source: k8s_audit
                  tags: [k8s]
                  requesters: [person]
                  watches: [{verb: get, resource: configmaps, namespace: kube-system}]
                - rule: Configmap Body
                  desc: a configmap created with a key
                  condition: ka.verb=create and ka.req.configmap.obj contains key
                  watches: [{verb: create, resource: configmaps, namespace: default}]
                - rule: Disabled
                  desc: not loaded
                  enabled: false
                  condition: ka.verb=get
                  watches: [{path: /healthz}]
                """);
        var rules = RuleFile.read(file);
        assertEquals(
                List.of("Admin Reads ConfigMap", "Configmap Body"),
                rules.stream().map(DetectionRule::id).toList());
        assertEquals(AuditLevel.Metadata, rules.get(0).needs());
        assertEquals(
                List.of("ka.target.resource", "ka.user.name", "ka.verb"),
                rules.get(0).fields());
        assertEquals(AuditLevel.Request, rules.get(1).needs());
        assertEquals(3, rules.get(1).watches().size());

        var out = dir.resolve("coverage.md");
        int code = new CommandLine(new AuditCoverageCommand())
                .execute(
                        "--rules",
                        file.toString(),
                        "--policy",
                        "seed:alibaba",
                        "--policy",
                        "seed:metadata",
                        "--out",
                        out.toString());
        assertEquals(0, code);
        var md = Files.readString(out);
        // Alibaba: configmaps at Metadata, so the body rule is blind; everything at Metadata: the same
        assertTrue(md.contains("| Admin Reads ConfigMap | Metadata | ALIVE | ALIVE | "), md);
        assertTrue(md.contains("| Configmap Body | Request | BLIND | BLIND | "), md);
        assertFalse(md.contains("Disabled"), md);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'- rule: r\n  condition: ka.verb=get\n'"
                        + " | f.yaml, entry 1 (rule r): watches: missing or not a list",
                "'- rule: r\n  condition: ka.verb=\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): condition: unexpected end at 9 in: ka.verb=",
                "'- rule: r\n  condition: ka.verbs=get\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): condition: unknown field ka.verbs (known: ",
                "'- rule: r\n  condition: ka.verb=get and (ka.uri=/x\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): condition: expected ) at 27 in: ka.verb=get and (ka.uri=/x",
                "'- rule: r\n  condition: kget\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): condition: unknown macro or field kget at 1 in: kget",
                "'- rule: r\n  condition: ka.verb ~ get\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): condition: expected an operator after ka.verb",
                "'- rule: r\n  condition: ka.verb=get\n  outptu: x\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): unknown key outptu",
                "'- rule: r\n  condition: ka.verb=get\n  source: syscall\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): source syscall: only k8s_audit rules apply",
                "'- rule: r\n  condition: ka.verb=get\n  watches: [{verb: get}]\n'"
                        + " | f.yaml, entry 1 (rule r): watches: each request needs a resource or a path",
                "'- rule: r\n  condition: ka.verb=get\n  requesters: [root]\n  watches: [{path: /x}]\n'"
                        + " | f.yaml, entry 1 (rule r): unknown requester root",
                "'- list: l\n  items: x\n' | f.yaml, entry 1 (list l): items: missing or not a list",
                "'- rule: r\n  condition: [x\n' | f.yaml: not YAML: ",
                "'rule: r\n' | f.yaml: expected a list of list, macro and rule entries",
                "'- macro: m\n  condition: ka.verb=get\n' | f.yaml: no rules",
            })
    void aMalformedFileIsRefusedWithWhereAndWhy(String yaml, String message) {
        var e = assertThrows(RuleFileException.class, () -> RuleFile.parse("f.yaml", yaml));
        assertTrue(e.getMessage().startsWith(message.strip()), e.getMessage());
    }

    @Test
    void theCommandSaysWhyAndExitsTwoOnAMalformedFile() throws Exception {
        var file = dir.resolve("bad.yaml");
        Files.writeString(file, "- rule: r\n  condition: ka.verb=get and\n  watches: [{path: /x}]\n");
        var err = new StringWriter();
        int code = new CommandLine(new AuditCoverageCommand())
                .setErr(new PrintWriter(err, true))
                .execute("--rules", file.toString());
        assertEquals(2, code);
        assertEquals(
                "audit-coverage: " + file + ", entry 1 (rule r): condition: unexpected end at 16 in: ka.verb=get and"
                        + System.lineSeparator(),
                err.toString());
    }
}
