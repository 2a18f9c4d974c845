package io.kubetwin.apiserver.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.apiserver.server.FakeApiServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fixture's lifecycles as a JUnit extension: one server per class, or one per test method. */
class TestApiServerTest {
    private static final String NAMESPACE =
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kept\"}}";

    @Test
    void aFixtureThatIsNotRunningSaysSo() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> TestApiServer.builder().build().admin());
        assertEquals(
                "the test apiserver is not running: register it with @RegisterExtension or start it with "
                        + "TestApiServer.start",
                e.getMessage());
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerClass {
        @RegisterExtension
        static final TestApiServer cluster =
                TestApiServer.builder().config(b -> b.anonymousAuth(false)).build();

        private FakeApiServer first;

        @Test
        @Order(1)
        void startsCustomisedBeforeTheTestsAndIsInjected(TestApiServer injected) {
            assertSame(cluster, injected);
            first = cluster.server();
            assertEquals(401, cluster.anonymous().get("/healthz").code(), "anonymous access is off");
            assertEquals(
                    201, cluster.admin().post("/api/v1/namespaces", NAMESPACE).code());
        }

        @Test
        @Order(2)
        void servesEveryTestOfTheClass() {
            assertSame(first, cluster.server());
            assertEquals(200, cluster.admin().get("/api/v1/namespaces/kept").code());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerMethod {
        @RegisterExtension
        static final TestApiServer cluster = TestApiServer.builder().perMethod().build();

        private FakeApiServer first;

        @Test
        @Order(1)
        void startsForTheTest() {
            first = cluster.server();
            assertEquals(
                    201, cluster.admin().post("/api/v1/namespaces", NAMESPACE).code());
        }

        @Test
        @Order(2)
        void andAFreshOneForTheNext() {
            assertNotSame(first, cluster.server());
            assertTrue(first.stop().succeeded(), "the first test's server was closed after it");
            assertEquals(404, cluster.admin().get("/api/v1/namespaces/kept").code());
        }
    }
}
