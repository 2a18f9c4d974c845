package io.kubetwin.scenarios.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The suite format's kubelets: nodes declared by a suite and steps addressed to them. */
class KubeletStepsTest {

    private final SuiteLoader loader = new SuiteLoader();

    @Test
    void readsKubeletsAndStepsAddressedToThem() throws IOException {
        var suite = loader.parse("""
                name: k
                kubelets:
                  - name: node-a
                    config: {authentication: {anonymous: {enabled: true}}, readOnlyPort: 10255}
                  - name: node-b
                steps:
                  - name: secure
                    as: anonymous
                    request: {kubelet: node-a, path: /pods}
                    expect: {status: 403}
                  - name: read-only
                    request: {kubelet: node-a, readOnlyPort: true, path: /healthz}
                  - name: closed
                    request: {kubelet: node-b, readOnlyPort: true, path: /pods}
                    expect: {connectionRefused: true}
                  - name: apiserver
                    request: {path: /api}
                """);
        assertEquals(2, suite.kubelets().size());
        assertTrue(suite.kubelets()
                .get(0)
                .config()
                .path("authentication")
                .path("anonymous")
                .path("enabled")
                .asBoolean());
        assertNull(suite.kubelets().get(1).config());
        assertEquals("node-a", suite.steps().get(0).request().kubelet());
        assertFalse(suite.steps().get(0).request().readOnlyPort());
        assertTrue(suite.steps().get(1).request().readOnlyPort());
        assertTrue(suite.steps().get(2).expect().connectionRefused());
        assertNull(suite.steps().get(3).request().kubelet());
        assertFalse(suite.steps().get(3).expect().connectionRefused());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            kubelets: [{name: a}]\\nsteps: [{name: s, request: {kubelet: b, path: /pods}}] | unknown kubelet b
            kubelets: [{name: a}, {name: a}]                                             | duplicate kubelet a
            kubelets: [{name: Node_A}]                                                   | a DNS label
            kubelets: [{name: a, config: [x]}]                                            | KubeletConfiguration object
            steps: [{name: s, request: {readOnlyPort: true, path: /pods}}]               | readOnlyPort needs kubelet
            """)
    void refusesWhatCannotRun(String yaml, String message) {
        var e = assertThrows(Exception.class, () -> loader.parse("name: k\n" + yaml.replace("\\n", "\n")));
        var text =
                e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause().getMessage());
        assertTrue(text.contains(message), text);
    }
}
