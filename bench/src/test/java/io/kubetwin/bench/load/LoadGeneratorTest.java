package io.kubetwin.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.bench.target.BenchPki;
import io.kubetwin.bench.target.CeilingTarget;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the ceiling over real TLS with the bench user's certificate; counts, never times. */
class LoadGeneratorTest {
    @TempDir
    static Path dir;

    static BenchPki pki;
    static CeilingTarget ceiling;
    static HttpClient user;

    @BeforeAll
    static void start() throws Exception {
        pki = BenchPki.create(dir);
        ceiling = CeilingTarget.start(pki);
        user = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(pki.userContext())
                .build();
    }

    @AfterAll
    static void stop() {
        ceiling.close();
    }

    private static LoadSpec upTo(long requests, int concurrency) {
        return new LoadSpec(Duration.ZERO, Duration.ofSeconds(60), requests, concurrency);
    }

    @Test
    void stopsAtTheRequestBudgetAndCountsEveryExpectedAnswer() throws Exception {
        Operation get = Operations.of(Operations.GET, "t");
        LoadResult r = new LoadGenerator(user, ceiling.url()).run(get, upTo(40, 4));
        assertEquals(40, r.requests());
        assertEquals(0, r.errors());
        assertNull(r.firstError());
        assertTrue(r.p50Millis() > 0 && r.p99Millis() >= r.p50Millis(), r.toString());
    }

    @Test
    void anUnexpectedStatusIsAnErrorNotAFigure() throws Exception {
        // the ceiling answers 200 where nothing was registered; CREATE expects 201
        Operation create = Operations.of(Operations.CREATE, "t");
        LoadResult r = new LoadGenerator(user, ceiling.url()).run(create, upTo(10, 2));
        assertEquals(0, r.requests());
        assertEquals(10, r.errors());
        assertEquals("HTTP 200 for " + Operations.CREATE, r.firstError());
        assertTrue(Double.isNaN(r.p50Millis()));
    }

    @Test
    void theCeilingAnswersTheRegisteredStatusAndBody() throws Exception {
        Operation list = Operations.of(Operations.LIST_100, "t");
        ceiling.answer(list.path(), 200, new byte[12345]);
        HttpResponse<byte[]> r = user.send(list.request(ceiling.url(), 0), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(12345, r.body().length);
    }
}
