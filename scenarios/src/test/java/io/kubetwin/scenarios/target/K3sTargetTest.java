package io.kubetwin.scenarios.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubetwin.scenarios.model.SuiteLoader;
import io.kubetwin.scenarios.runner.SuiteRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The k3s target through Testcontainers 2: without a Docker engine it says so and the runner skips it; with one it
 * runs a suite with a server flag (a static token), a CA-issued actor and the audit log copied out of the container.
 */
class K3sTargetTest {

    private static final String SUITE = """
            name: on-k3s
            server:
              tokens: [{token: k3s-token, user: token-user, uid: "7", groups: [dev]}]
            actors:
              - {name: alice, kind: certificate, user: alice, groups: [dev]}
              - {name: tokened, kind: token, token: k3s-token}
            steps:
              - name: whoami with a certificate from k3s's client CA
                as: alice
                request:
                  method: POST
                  path: /apis/authentication.k8s.io/v1/selfsubjectreviews
                  body: {apiVersion: authentication.k8s.io/v1, kind: SelfSubjectReview}
                expect:
                  status: 201
                  json: {/status/userInfo/username: alice}
              - name: the static token from --token-auth-file
                as: tokened
                request:
                  method: POST
                  path: /apis/authentication.k8s.io/v1/selfsubjectreviews
                  body: {apiVersion: authentication.k8s.io/v1, kind: SelfSubjectReview}
                expect:
                  status: 201
                  json: {/status/userInfo/username: token-user}
            """;

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    @Test
    void withoutDockerTheTargetSaysWhy() {
        assumeTrue(!dockerAvailable(), "a Docker engine is reachable here");
        var reason = new K3sTarget().unavailableReason();
        assertTrue(reason.isPresent());
        assertTrue(reason.get().startsWith("no Docker engine reachable"), reason.get());
    }

    @Test
    void runsASuiteInAK3sContainer(@TempDir Path dir) throws Exception {
        assumeTrue(dockerAvailable(), "no Docker engine: the k3s target is skipped");
        var result = new SuiteRunner(dir).run(new SuiteLoader().parse(SUITE), new K3sTarget());
        assertEquals(
                List.of("PASSED", "PASSED"),
                result.steps().stream().map(s -> s.outcome().label()).toList(),
                () -> result.steps().toString());
    }
}
