package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.Golden;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every escaping class of Go's encoding/json (golden/gojson/cases.tsv), against the bytes kube-apiserver v1.34.4
 * wrote for it (recorded by src/test/scripts/record-go-json.sh): a ConfigMap whose data "v" carries the string,
 * created and read back, at audit level RequestResponse. Three paths must write the reference's bytes: the
 * escaper itself, the ConfigMap's GET over TLS, and the audit events the log backend writes for both requests;
 * and a 422 Status for a name carrying such strings must be the reference's.
 * Whole bodies and events are compared, once uids, resourceVersions, timestamps, audit IDs, certificate hashes and
 * managedFields are normalised.
 */
class GoJsonGoldenTest {
    private static final String NAMESPACE = "gojson-golden";
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** What differs between any two runs; the values never contain a quote. */
    private static final Pattern RUN_DEPENDENT = Pattern.compile(
            "\"(uid|resourceVersion|creationTimestamp|auditID|requestReceivedTimestamp|stageTimestamp)\":\"[^\"]*\""
                    + "|X509SHA256=[0-9a-f]+");
    /** The fake's registry does not maintain managedFields (one entry here, without brackets inside). */
    private static final Pattern MANAGED_FIELDS = Pattern.compile(",\"managedFields\":\\[\\{[^\\[\\]]*}]");

    private static final Pattern OBJECT_NAME = Pattern.compile(
            "\"objectRef\":\\{\"resource\":\"configmaps\",\"namespace\":\"" + NAMESPACE + "\",\"name\":\"([^\"]+)\"");

    @TempDir
    static Path dir;

    private static final Map<String, String> served = new LinkedHashMap<>();
    private static final Map<String, List<String>> audited = new LinkedHashMap<>();
    private static String invalidName;

    /** One line of cases.tsv: the JSON string literal a request body carries, between its quotes. */
    record Case(String name, String literal) {
        @Override
        public String toString() {
            return name;
        }

        /** The string the literal decodes to, as the fake's body decoder (Jackson) reads it. */
        String decoded() throws Exception {
            return PLAIN.readValue("\"" + literal + "\"", String.class);
        }

        String configMap() {
            return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                    + "\"data\":{\"v\":\"" + literal + "\"}}";
        }

        /** The reference's GET answer. */
        String recorded() {
            return Golden.text("gojson/configmap-" + name + ".json");
        }

        /** The value of data "v" as the reference wrote it, quotes included. */
        byte[] recordedValue() {
            String body = recorded();
            String start = "\"data\":{\"v\":";
            String value = body.substring(body.indexOf(start) + start.length(), body.lastIndexOf("}}\n"));
            return value.getBytes(StandardCharsets.UTF_8);
        }
    }

    static Stream<Case> cases() {
        return Golden.text("gojson/cases.tsv")
                .lines()
                .filter(l -> !l.startsWith("#") && !l.isEmpty())
                .map(l -> l.split("\t", 2))
                .map(f -> new Case(f[0], f[1]));
    }

    /** The reference's requests, against the fake, once: the answers and the audit log are compared per case. */
    @BeforeAll
    static void replayAgainstTheFake() throws Exception {
        Path log = dir.resolve("audit.log");
        ApiServerConfig config = ApiServerConfig.builder()
                .auditPolicyFile(Files.writeString(dir.resolve("policy.yaml"), Golden.text("gojson/policy.yaml")))
                .auditLogPath(log.toString())
                .build();
        try (TestApiServer server = TestApiServer.start(config)) {
            ApiClient admin = server.admin();
            admin.post(
                    "/api/v1/namespaces",
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + NAMESPACE + "\"}}");
            for (Case c : cases().toList()) {
                admin.post("/api/v1/namespaces/" + NAMESPACE + "/configmaps", c.configMap());
                served.put(
                        c.name(),
                        admin.get("/api/v1/namespaces/" + NAMESPACE + "/configmaps/" + c.name())
                                .body());
            }
            invalidName = admin.post(
                            "/api/v1/namespaces/" + NAMESPACE + "/configmaps",
                            "{\"apiVersion\":\"v1\","
                                    + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\\bb\\u00a0\\u2028\\u0007\\u0085\"}}")
                    .body();
        }
        audited.putAll(byObjectName(Files.readString(log)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void escaperWritesTheReferencesBytes(Case c) throws Exception {
        String decoded = c.decoded();
        assertEquals(hex(c.recordedValue()), hex(GoJson.string(decoded).getBytes(StandardCharsets.UTF_8)), "char path");
        assertEquals(hex(c.recordedValue()), hex(GoJson.mapper().writeValueAsBytes(decoded)), "byte path");
    }

    /** The whole GET answer over TLS; the body decodes losslessly, as the fake only ever sends well-formed UTF-8. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void configMapIsServedAsTheReferenceServesIt(Case c) {
        assertEquals(normalize(c.recorded()), normalize(served.get(c.name())));
    }

    /** The create (requestObject and responseObject) and the get (responseObject), as the log backend wrote them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void auditEventsAreTheReferences(Case c) {
        List<String> expected = byObjectName(Golden.text("gojson/audit.log")).get(c.name());
        assertEquals(String.join("\n", expected), String.join("\n", audited.getOrDefault(c.name(), List.of())));
    }

    /** A Status body: the name Go-quoted (strconv.Quote) in the messages and JSON-escaped in the details. */
    @Test
    void invalidNameStatusIsTheReferences() {
        assertEquals(Golden.text("gojson/status-invalid-name.json"), invalidName);
    }

    private static Map<String, List<String>> byObjectName(String log) {
        Map<String, List<String>> events = new LinkedHashMap<>();
        for (String line : log.split("\n")) {
            Matcher m = OBJECT_NAME.matcher(line);
            if (m.find()) {
                events.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(normalize(line));
            }
        }
        return events;
    }

    private static String normalize(String json) {
        String run = MANAGED_FIELDS.matcher(json).replaceAll("");
        return RUN_DEPENDENT
                .matcher(run)
                .replaceAll(m -> Matcher.quoteReplacement(
                        m.group(1) == null ? "X509SHA256=..." : "\"" + m.group(1) + "\":\"...\""));
    }

    /** Bytes as hex pairs, so that a failure shows which byte differs. */
    private static String hex(byte[] bytes) {
        return Arrays.toString(HexFormat.of().formatHex(bytes).split("(?<=\\G..)"));
    }
}
