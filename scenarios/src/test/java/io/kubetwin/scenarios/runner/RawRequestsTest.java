package io.kubetwin.scenarios.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.scenarios.model.SuiteLoader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RawRequestsTest {

    @Test
    void theRunnersHeadersGoAfterTheRequestLine() {
        assertEquals(
                "get /api HTTP/1.1\r\nAudit-ID: a1\r\nAuthorization: Bearer t\r\nHost: 127.0.0.1:6443\r\n\r\n",
                RawRequests.prepare("get /api HTTP/1.1\r\nHost: ${host}\r\n\r\n", "127.0.0.1:6443", "a1", "t"));
    }

    @Test
    void theTextsOwnHeadersAreKept() {
        String raw = "GET / HTTP/1.0\r\naudit-id: mine\r\nAuthorization: Bearer  x\r\n\r\n";
        assertEquals(Optional.of("mine"), RawRequests.auditId(raw));
        assertEquals(raw, RawRequests.prepare(raw, "h:1", "mine", "t"));
    }

    @Test
    void aBodyIsNotSearchedForHeaders() {
        assertEquals(Optional.empty(), RawRequests.auditId("POST / HTTP/1.1\r\n\r\nAudit-ID: body"));
    }

    @Test
    void aRawRequestHasNoOtherField() throws Exception {
        var loader = new SuiteLoader();
        var suite = loader.parse("name: s\nsteps:\n  - name: r\n    request: {raw: \"GET / HTTP/1.0\\r\\n\\r\\n\"}\n");
        assertEquals("GET / HTTP/1.0\r\n\r\n", suite.steps().get(0).request().raw());
        assertThrows(
                Exception.class,
                () -> loader.parse("name: s\nsteps:\n  - name: r\n    request: {raw: x, path: /api}\n"));
    }
}
