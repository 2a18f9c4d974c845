package io.kubetwin.kubelet.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The path table of pkg/kubelet/server/auth_test.go, with the gate on (v1.34 default) and off. */
class NodeRequestAttributesTest {

    @ParameterizedTest(name = "{0} -> on [{1}] off [{2}]")
    @CsvSource(delimiter = '|', textBlock = """
            /pods                          | pods proxy    | proxy
            /pods/                         | pods proxy    | proxy
            /podsx                         | proxy         | proxy
            /runningpods/                  | pods proxy    | proxy
            /runningpods                   | pods proxy    | proxy
            /healthz                       | healthz proxy | proxy
            /healthz/ping                  | healthz proxy | proxy
            /configz                       | configz proxy | proxy
            /statusz                       | statusz proxy | proxy
            /stats                         | stats         | stats
            /stats/summary                 | stats         | stats
            /statsz                        | proxy         | proxy
            /metrics                       | metrics       | metrics
            /metrics/cadvisor              | metrics       | metrics
            /metrics/slis                  | metrics       | metrics
            /logs/                         | log           | log
            /logs/kubelet.log              | log           | log
            /checkpoint/ns/pod/c           | checkpoint    | checkpoint
            /exec/ns/pod/c                 | proxy         | proxy
            /run/ns/pod/c                  | proxy         | proxy
            /attach/ns/pod/c               | proxy         | proxy
            /portForward/ns/pod            | proxy         | proxy
            /containerLogs/ns/pod/c        | proxy         | proxy
            /debug/pprof/                  | proxy         | proxy
            /spec/                         | proxy         | proxy
            /                              | proxy         | proxy
            """)
    void subresources(String path, String fineGrained, String coarse) {
        assertEquals(List.of(fineGrained.split(" ")), new NodeRequestAttributes("node-1", true).subresources(path));
        assertEquals(List.of(coarse.split(" ")), new NodeRequestAttributes("node-1", false).subresources(path));
    }

    @ParameterizedTest(name = "{0} -> \"{1}\"")
    @CsvSource(textBlock = """
            GET,     get
            POST,    create
            PUT,     update
            PATCH,   patch
            DELETE,  delete
            HEAD,    ''
            OPTIONS, ''
            """)
    void verbs(String method, String verb) {
        List<Attributes> attributes =
                new NodeRequestAttributes("node-1", true).attributes(UserInfo.of("alice"), method, "/pods");
        assertEquals(2, attributes.size());
        for (Attributes a : attributes) {
            assertEquals(verb, a.verb());
            assertEquals("node-1", a.name());
            assertEquals("nodes", a.resource());
            assertEquals("v1", a.apiVersion());
            assertTrue(a.resourceRequest());
            assertEquals("/pods", a.path());
            assertEquals("alice", a.user().name());
        }
    }
}
