package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pod-template-hash of templates as the reference stored them (kube-apiserver v1.34.4 defaults: kubectl create
 * deployment with one and two images, and a template with maps, pointers, env sources, probes, volumes and
 * quantities), against the hash kube-controller-manager put in the ReplicaSet's name, and spew's print and the hash
 * with collisionCount 1 from the Go recorder (ci/reference/pod-template-hash/main.go -vectors).
 */
class GoDeepHashTest {
    private static List<JsonNode> vectors() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GoDeepHashTest.class.getResourceAsStream("/controllers/pod-template-hashes.jsonl"),
                StandardCharsets.UTF_8))) {
            return in.lines()
                    .map(l -> {
                        try {
                            return json.readTree(l);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void printsWhatSpewPrintsAndHashesAsTheReference() throws Exception {
        List<JsonNode> vectors = vectors();
        assertEquals(3, vectors.size());
        for (JsonNode v : vectors) {
            JsonNode template = v.get("template");
            assertEquals(v.get("printed").asText(), GoDeepHash.printed(template));
            assertEquals(v.get("hash").asText(), GoDeepHash.podTemplateHash(template, null));
            assertEquals(v.get("hashWithCollisionCount1").asText(), GoDeepHash.podTemplateHash(template, 1));
        }
    }

    @Test
    void safeEncodeMapsDigitsOntoTheAlphabet() {
        assertEquals("456789bcdf", GoDeepHash.safeEncode("0123456789"));
    }

    @Test
    void refusesWhatItCannotReproduce() throws Exception {
        JsonNode huge = new ObjectMapper()
                .readTree("{\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{\"limits\":{\"cpu\":"
                        + "\"123456789012345678901\"}}}]}}");
        assertThrows(IllegalArgumentException.class, () -> GoDeepHash.printed(huge));
    }
}
