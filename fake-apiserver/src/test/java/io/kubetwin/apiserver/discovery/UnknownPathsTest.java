package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Paths no API serves answer exactly as the reference did (recorded by ci/reference/record-api-surface.sh):
 * Go's plain-text 404 where no handler owns the path (unknown groups), a NotFound Status where the group's
 * handler does (unknown versions and resources of a served group, /api/v2).
 */
class UnknownPathsTest {
    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    static List<JsonNode> recorded() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in =
                UnknownPathsTest.class.getClassLoader().getResourceAsStream("golden/discovery/unknown-paths.json")) {
            new ObjectMapper().readTree(in).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recorded")
    void answersAsTheReference(JsonNode expected) {
        ApiClient.Response r = cluster.admin().get(expected.path("path").asText());
        assertEquals(expected.path("code").asInt(), r.code());
        assertEquals(expected.path("contentType").asText(), r.header("content-type"));
        assertEquals(expected.path("body").asText(), r.body());
    }
}
