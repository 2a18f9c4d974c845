package io.kubetwin.apiserver.bench;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;

/**
 * Prints how long the embedded default takes from {@code start} to its first served request, for a
 * few starts in one JVM (the first includes class loading and JIT warm-up, as in a test suite's first
 * test). A benchmark, not a test: it asserts nothing.
 *
 * <pre>mvn -q -pl fake-apiserver -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.kubetwin.apiserver.bench.StartupBenchmark</pre>
 */
public final class StartupBenchmark {
    private StartupBenchmark() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int i = 1; i <= runs; i++) {
            long began = System.nanoTime();
            try (TestApiServer server =
                    TestApiServer.start(ApiServerConfig.builder().build())) {
                long started = System.nanoTime();
                ApiClient.Response r = server.admin().get("/readyz");
                long served = System.nanoTime();
                System.out.printf(
                        "start %d: ready in %d ms, first request (%d) after %d ms%n",
                        i, (started - began) / 1_000_000, r.code(), (served - began) / 1_000_000);
            }
        }
    }
}
