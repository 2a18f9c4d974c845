package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.client.ApiClient;
import io.kubetwin.scenarios.compare.Normalizer;
import io.kubetwin.scenarios.runner.ObjectPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Asks two clusters the same random access questions and records every disagreement. Worlds are created on both
 * clusters first (as admin), then each question goes to both as a SubjectAccessReview, and a sample also as a
 * real impersonated request. Not thread-safe; one run at a time.
 */
public final class DifferentialRunner {

    /** One disagreement; {@code what} is {@code sar}, {@code real} or {@code setup}. */
    public record Mismatch(String world, int question, String what, String request, String a, String b) {}

    /**
     * The outcome of a run; replay it with the same seed and decision count.
     *
     * @param ambiguousReasons allow decisions whose reason differed but is one the baseline itself also gives for the
     *                         same question: with several matching bindings, kube-apiserver names whichever its
     *                         informer cache lists first, which varies from call to call
     */
    public record Result(
            long seed, int decisions, int realRequests, List<Mismatch> mismatches, int ambiguousReasons, long millis) {}

    public static final int QUESTIONS_PER_WORLD = 1000;
    private static final String SAR_PATH = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private final ApiClient a;
    private final ApiClient b;
    private final int concurrency;

    public DifferentialRunner(ApiClient a, ApiClient b, int concurrency) {
        this.a = a;
        this.b = b;
        this.concurrency = concurrency;
    }

    public Result run(long seed, int decisions, double realRequestShare) throws InterruptedException {
        long start = System.nanoTime();
        var random = new Random(seed);
        var worlds = new RbacWorldGenerator(random);
        var questions = new QuestionGenerator(random, realRequestShare);
        var mismatches = new ArrayList<Mismatch>();
        int asked = 0;
        int real = 0;
        int ambiguous = 0;
        for (int w = 0; asked < decisions; w++) {
            var world = worlds.generate(w);
            apply(world, mismatches);
            awaitAggregation(world, mismatches);
            Thread.sleep(1000); // let both authorizers' caches see the new bindings
            var batch = new ArrayList<Question>();
            for (int i = 0; i < QUESTIONS_PER_WORLD && asked < decisions; i++, asked++) {
                batch.add(questions.next(world));
            }
            real += (int) batch.stream().filter(q -> q.real() != null).count();
            for (var m : ask(batch)) {
                if (m.what().equals("sar")
                        && reasonIsAmbiguous(
                                batch.get(m.question() - batch.get(0).id()), m)) {
                    ambiguous++;
                } else {
                    mismatches.add(m);
                }
            }
        }
        return new Result(seed, asked, real, mismatches, ambiguous, (System.nanoTime() - start) / 1_000_000);
    }

    private void apply(RbacWorld world, List<Mismatch> mismatches) {
        for (var object : world.objects()) {
            var path = ObjectPaths.collection(object);
            var ra = a.post(path, object.toString());
            var rb = b.post(path, object.toString());
            if (ra.code() != rb.code()) {
                mismatches.add(new Mismatch(
                        world.prefix(),
                        -1,
                        "setup",
                        "POST " + path + " " + object,
                        ra.code() + " " + ra.body(),
                        rb.code() + " " + rb.body()));
            } else if (ra.code() != 201) {
                throw new IllegalStateException(
                        "world " + world.prefix() + ": both targets refused " + object + ": " + ra.body());
            }
        }
    }

    private void awaitAggregation(RbacWorld world, List<Mismatch> mismatches) throws InterruptedException {
        for (var name : world.aggregated()) {
            var path = "/apis/rbac.authorization.k8s.io/v1/clusterroles/" + name;
            long deadline = System.nanoTime() + 30_000_000_000L;
            JsonNode ra = null;
            JsonNode rb = null;
            while (System.nanoTime() < deadline) {
                ra = rules(a, path);
                rb = rules(b, path);
                if (ra != null && rb != null && ra.size() > 0 && rb.size() > 0) {
                    break;
                }
                Thread.sleep(200);
            }
            if (!Objects.equals(ra, rb)) {
                mismatches.add(new Mismatch(
                        world.prefix(),
                        -1,
                        "setup",
                        "aggregated rules of " + name,
                        String.valueOf(ra),
                        String.valueOf(rb)));
            }
        }
    }

    private static JsonNode rules(ApiClient client, String path) {
        try {
            return client.get(path).optionalJson().map(j -> j.path("rules")).orElse(null);
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    private List<Mismatch> ask(List<Question> batch) throws InterruptedException {
        var permits = new Semaphore(concurrency);
        var futures = new ArrayList<CompletableFuture<List<Mismatch>>>();
        for (var q : batch) {
            permits.acquire();
            var body = q.subjectAccessReview().toString();
            var fa = a.sendAsync("POST", SAR_PATH, body, "application/json", Map.of());
            var fb = b.sendAsync("POST", SAR_PATH, body, "application/json", Map.of());
            CompletableFuture<List<Mismatch>> f = fa.thenCombine(fb, (ra, rb) -> compareSar(q, ra, rb));
            if (q.real() != null) {
                var r = q.real();
                var ga = a.sendAsync(r.method(), r.path(), null, null, r.headers());
                var gb = b.sendAsync(r.method(), r.path(), null, null, r.headers());
                f = f.thenCombine(ga.thenCombine(gb, (ra, rb) -> compareReal(q, ra, rb)), (x, y) -> {
                    var all = new ArrayList<>(x);
                    all.addAll(y);
                    return all;
                });
            }
            futures.add(f.whenComplete((x, e) -> permits.release())
                    .exceptionally(e -> List.of(new Mismatch(q.world(), q.id(), "error", body, e.toString(), ""))));
        }
        var out = new ArrayList<Mismatch>();
        for (var f : futures) {
            out.addAll(f.join());
        }
        return out;
    }

    /**
     * Both allowed, with different reasons: re-asks the baseline until it has given the other target's reason (or
     * gives up), since upstream picks among matching bindings in cache order.
     */
    private boolean reasonIsAmbiguous(Question q, Mismatch m) throws InterruptedException {
        if (!m.a().contains("\"allowed\":true") || !m.b().contains("\"allowed\":true")) {
            return false;
        }
        return gives(a, q, reason(m.b())) || gives(b, q, reason(m.a()));
    }

    /**
     * Whether the target gives this reason for the question within a few hundred tries. Upstream's choice
     * among matching bindings follows Go's randomised map iteration, which can favour one binding heavily:
     * a few dozen tries were seen to miss the rarer one.
     */
    private static boolean gives(ApiClient client, Question q, String wanted) throws InterruptedException {
        var body = q.subjectAccessReview().toString();
        for (int i = 0; i < 400; i++) {
            try {
                var again = client.send("POST", SAR_PATH, body, "application/json", Map.of());
                if (again.optionalJson()
                        .map(j -> j.path("status").path("reason").asText())
                        .orElse("")
                        .equals(wanted)) {
                    return true;
                }
            } catch (UncheckedIOException e) {
                // a transient transport error is not an answer: ask again
                Thread.sleep(10);
            }
        }
        return false;
    }

    private static String reason(String statusLine) {
        try {
            var json = new ObjectMapper().readTree(statusLine.substring(statusLine.indexOf(' ') + 1));
            return json.path("reason").asText();
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Mismatch> compareSar(Question q, ApiClient.Response ra, ApiClient.Response rb) {
        var sa = ra.code() + " "
                + ra.optionalJson()
                        .map(j -> Normalizer.json(j.path("status")).toString())
                        .orElse(ra.body());
        var sb = rb.code() + " "
                + rb.optionalJson()
                        .map(j -> Normalizer.json(j.path("status")).toString())
                        .orElse(rb.body());
        return sa.equals(sb)
                ? List.of()
                : List.of(new Mismatch(
                        q.world(),
                        q.id(),
                        "sar",
                        q.subjectAccessReview().path("spec").toString(),
                        sa,
                        sb));
    }

    private static List<Mismatch> compareReal(Question q, ApiClient.Response ra, ApiClient.Response rb) {
        var sa = ra.code() + " " + ra.statusReason().orElse("") + " "
                + Normalizer.text(ra.statusMessage().orElse(""));
        var sb = rb.code() + " " + rb.statusReason().orElse("") + " "
                + Normalizer.text(rb.statusMessage().orElse(""));
        var r = q.real();
        return sa.equals(sb)
                ? List.of()
                : List.of(new Mismatch(
                        q.world(), q.id(), "real", r.method() + " " + r.path() + " " + r.headers(), sa, sb));
    }
}
