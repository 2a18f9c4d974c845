package io.kubetwin.apiserver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kubetwin.apiserver.api.QueryParameters;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * The request-info parser as {@code RequestInitHandler} runs it on every request: the path unescaped as Go's net/url
 * does (a malformed escape is the one refusal, a 400 before this stage), the query parsed, then
 * {@link RequestInfoResolver#resolve}. Whatever the method and URL, the resolver answers a {@link RequestInfo}:
 * it never throws. Seeds in {@code RequestInfoFuzzTestInputs/resolve}: the method is the first line (GET without one), the URI the rest.
 */
class RequestInfoFuzzTest {
    private static final Set<String> VERBS =
            Set.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "proxy", "");

    private final RequestInfoResolver resolver = new RequestInfoResolver();

    @FuzzTest
    @Timeout(10)
    void resolve(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String method = nl < 0 ? "GET" : text.substring(0, nl);
        String uri = nl < 0 ? text : text.substring(nl + 1);
        int q = uri.indexOf('?');
        String path = GoRequestPath.unescape(q < 0 ? uri : uri.substring(0, q));
        if (path == null) {
            return; // answered 400 by GoRequestPath before any request info exists
        }
        QueryParameters query = QueryParameters.parse(q < 0 ? null : uri.substring(q + 1));
        Map<String, String> first = new HashMap<>();
        query.values().forEach((name, values) -> first.put(name, values.get(0)));

        RequestInfo info = resolver.resolve(method, path, first);

        assertNotNull(info);
        assertEquals(path, info.path());
        if (info.resourceRequest()) {
            assertTrue(info.apiPrefix().equals("api") || info.apiPrefix().equals("apis"), info::toString);
            assertTrue(VERBS.contains(info.verb()), info::toString);
            assertFalse(info.parts().isEmpty(), info::toString);
            assertEquals(info.resource(), info.parts().get(0), info::toString);
        } else {
            assertEquals(info.verb(), info.verb().toLowerCase(java.util.Locale.ROOT));
        }
        // what authorization and audit read must be buildable for any request
        assertNotNull(info.attributesFor(null));
    }
}
