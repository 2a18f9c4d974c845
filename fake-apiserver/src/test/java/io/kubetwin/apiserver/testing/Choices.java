package io.kubetwin.apiserver.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The decisions a test-case generator makes, from a seeded {@link Random} (property tests: reproducible from the
 * seed in the test's name) or from Jazzer's {@link FuzzedDataProvider} (fuzz tests: coverage-guided). One generator
 * written against this interface serves both.
 */
public interface Choices {
    /** A number in {@code [0, bound)}; {@code bound > 0}. */
    int below(int bound);

    /** Any string, usually short; for fuzzing, anything at all. */
    String anyString();

    default boolean chance(int percent) {
        return below(100) < percent;
    }

    default String pick(List<String> values) {
        return values.get(below(values.size()));
    }

    /** One of {@code values}, or now and then {@link #anyString()}. */
    default String pickOrAny(List<String> values) {
        return chance(5) ? anyString() : pick(values);
    }

    /** {@code 0..max} items. */
    default <T> List<T> listOf(int max, Supplier<T> item) {
        int n = below(max + 1);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item.get());
        }
        return out;
    }

    static Choices random(long seed) {
        Random random = new Random(seed);
        return new Choices() {
            @Override
            public int below(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public String anyString() {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(6); i > 0; i--) {
                    s.append("*/:a-.".charAt(random.nextInt(6)));
                }
                return s.toString();
            }
        };
    }

    static Choices fuzz(FuzzedDataProvider data) {
        return new Choices() {
            @Override
            public int below(int bound) {
                return data.consumeInt(0, bound - 1);
            }

            @Override
            public String anyString() {
                return data.consumeString(20);
            }
        };
    }
}
