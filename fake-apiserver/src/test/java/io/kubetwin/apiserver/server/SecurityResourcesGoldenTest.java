package io.kubetwin.apiserver.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays golden/reviews/requests.json against the fake over TLS and compares every answer with what
 * kube-apiserver v1.34.4 answered (golden/reviews/responses.json, recorded by record.py): status code, the
 * whole body byte for byte after normalising times, UIDs, JWTs and certificate fingerprints, the claims of
 * issued tokens, and Warning headers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityResourcesGoldenTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{token:([^}]*)}");

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    private ReviewServer fake;
    private final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void seed() {
        fake = new ReviewServer(cluster);
    }

    Stream<Arguments> cases() {
        Map<String, JsonNode> responses = new HashMap<>();
        ReviewServer.resource("responses.json")
                .forEach(r -> responses.put(r.get("name").asText(), r));
        return StreamSupport.stream(ReviewServer.resource("requests.json").spliterator(), false)
                .map(r -> Arguments.of(
                        r.get("name").asText(), r, responses.get(r.get("name").asText())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersAsTheReferenceDid(String name, JsonNode request, JsonNode expected) throws Exception {
        String who = request.path("as").asText("admin");
        ApiClient client = who.equals("admin")
                ? fake.admin
                : who.equals("anonymous") ? fake.anonymous() : fake.withToken(token(who.substring("token:".length())));
        String body = request.has("body") ? resolve(request.get("body").asText()) : null;
        List<String> headers = new ArrayList<>();
        request.path("headers").forEach(h -> {
            headers.add(h.get(0).asText());
            headers.add(h.get(1).asText());
        });
        ApiClient.Response r = client.send(
                request.get("method").asText(),
                request.get("path").asText(),
                body,
                body == null ? null : request.path("contentType").asText("application/json"),
                headers.toArray(String[]::new));

        assertEquals(expected.get("code").asInt(), r.code(), r.body());
        assertEquals(expected.get("body").asText(), normalise(sortRules(r.body().stripTrailing())));
        if (expected.has("claims")) {
            assertEquals(
                    ReviewServer.JSON.readTree(expected.get("claims").asText()),
                    ReviewServer.JSON.readTree(
                            normalise(claims(r.json().at("/status/token").asText()))));
        }
        List<String> warnings = new ArrayList<>();
        expected.path("warnings").forEach(w -> warnings.add(w.asText()));
        assertEquals(warnings, r.headers().getOrDefault("warning", List.of()));
    }

    /** A token requested from the fake for a placeholder spec {@code SA[:aud=A|:pod=P|:secret=S]}. */
    private String token(String spec) {
        return tokens.computeIfAbsent(spec, s -> {
            String[] parts = s.split(":");
            ObjectNode tokenSpec = ReviewServer.JSON.createObjectNode();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=");
                if (kv[0].equals("aud")) {
                    tokenSpec.putArray("audiences").add(kv[1]);
                } else {
                    String kind = Character.toUpperCase(kv[0].charAt(0)) + kv[0].substring(1);
                    tokenSpec
                            .putObject("boundObjectRef")
                            .put("kind", kind)
                            .put("apiVersion", "v1")
                            .put("name", kv[1]);
                }
            }
            return fake.token(parts[0], tokenSpec.toString());
        });
    }

    private String resolve(String body) {
        Matcher m = PLACEHOLDER.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(token(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    /** record.py's normalisation. */
    static String normalise(String text) {
        return text.replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ", "<TIME>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<UID>")
                .replaceAll("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+", "<JWT>")
                .replaceAll("X509SHA256=[0-9a-f]+", "X509SHA256=<FP>");
    }

    /** kube-apiserver lists rules in Go map order; the golden has them sorted by their JSON. */
    private static String sortRules(String body) throws Exception {
        if (!body.startsWith("{\"kind\":\"SelfSubjectRulesReview\"")) {
            return body;
        }
        ObjectNode review = (ObjectNode) ReviewServer.JSON.readTree(body);
        ObjectNode status = (ObjectNode) review.get("status");
        for (String key : List.of("resourceRules", "nonResourceRules")) {
            List<JsonNode> rules = new ArrayList<>();
            status.get(key).forEach(rules::add);
            rules.sort((a, b) -> a.toString().compareTo(b.toString()));
            ArrayNode sorted = status.putArray(key);
            rules.forEach(sorted::add);
        }
        return review.toString();
    }

    /** The token's claims with exp, iat, nbf and warnafter relative to iat, as record.py stores them. */
    private static String claims(String token) throws Exception {
        ObjectNode claims = (ObjectNode) ReviewServer.JSON.readTree(
                new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        long iat = claims.get("iat").asLong();
        for (Iterator<String> it = List.of("exp", "iat", "nbf").iterator(); it.hasNext(); ) {
            String key = it.next();
            claims.put(key, claims.get(key).asLong() - iat);
        }
        ObjectNode k8s = (ObjectNode) claims.get("kubernetes.io");
        if (k8s.has("warnafter")) {
            k8s.put("warnafter", k8s.get("warnafter").asLong() - iat);
        }
        return claims.toString();
    }
}
