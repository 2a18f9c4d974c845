package io.kubetwin.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Two test classes run at the same time (junit-platform.properties turns JUnit's parallel mode on), each with a
 * server of its own: both must be inside their test at once to pass the barrier, and neither sees the other's
 * objects.
 */
class ParallelClassesTest {
    private static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);
    private static final ConcurrentHashMap<String, String> URLS = new ConcurrentHashMap<>();

    static void createAloneAndMeet(String who, KubeTwinServer server, KubernetesClient admin) throws Exception {
        admin.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("only-" + who)
                        .endMetadata()
                        .build())
                .create();
        URLS.put(who, server.url());
        // a liveness bound, not a timing assertion: generous, as the other worker may first finish another class;
        // a serial run never reaches the barrier's second party
        BOTH_RUNNING.await(5, TimeUnit.MINUTES);
        String other = who.equals("a") ? "b" : "a";
        assertNotEquals(URLS.get(other), server.url());
        assertNull(admin.namespaces().withName("only-" + other).get(), "the other class's namespace leaked in");
        assertEquals(
                "only-" + who,
                admin.namespaces().withName("only-" + who).get().getMetadata().getName());
    }

    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class A {
        @RegisterExtension
        final KubeTwinExtension cluster = KubeTwinExtension.builder().build();

        @Test
        void runsBesideB(KubeTwinServer server, KubernetesClient admin) throws Exception {
            createAloneAndMeet("a", server, admin);
        }
    }

    @Nested
    @Execution(ExecutionMode.CONCURRENT)
    class B {
        @RegisterExtension
        final KubeTwinExtension cluster = KubeTwinExtension.builder().build();

        @Test
        void runsBesideA(KubeTwinServer server, KubernetesClient admin) throws Exception {
            createAloneAndMeet("b", server, admin);
        }
    }
}
