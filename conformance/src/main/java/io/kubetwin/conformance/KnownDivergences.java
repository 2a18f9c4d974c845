package io.kubetwin.conformance;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.scenarios.compare.Difference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The accepted differences ({@code conformance/known-divergences.yaml}): {@code divergences} accept
 * differences that a suite step shows, field by field; {@code limitations} document what the fake knowingly
 * does otherwise (or not at all) where no step compares it, so that the report shows every known gap.
 */
public record KnownDivergences(List<Entry> divergences, List<Limitation> limitations) {

    public KnownDivergences {
        divergences = divergences == null ? List.of() : List.copyOf(divergences);
        limitations = limitations == null ? List.of() : List.copyOf(limitations);
    }

    public KnownDivergences(List<Entry> divergences) {
        this(divergences, List.of());
    }

    /** A documented difference of the fake from kube-apiserver: the area, what differs and why. */
    public record Limitation(String area, String difference, String reason) {
        public Limitation {
            if (area == null || difference == null || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a limitation needs area, difference and reason");
            }
        }
    }

    /**
     * One accepted difference.
     *
     * @param field  a field name as in {@link Difference#field()}; {@code *} matches any run of characters
     * @param target the non-baseline target it applies to, or null for all
     */
    public record Entry(String suite, String step, String field, String target, String reason) {
        public Entry {
            if (suite == null || step == null || field == null || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a known divergence needs suite, step, field and reason");
            }
        }

        boolean covers(Difference d) {
            return glob(suite).matcher(d.suite()).matches()
                    && glob(step).matcher(d.step()).matches()
                    && glob(field).matcher(d.field()).matches()
                    && (target == null || target.equals(d.target()));
        }

        private static Pattern glob(String text) {
            var parts = text.split("\\*", -1);
            var regex = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    regex.append(".*");
                }
                regex.append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        }
    }

    public static KnownDivergences load(Path file) {
        if (file == null || !Files.exists(file)) {
            return new KnownDivergences(List.of(), List.of());
        }
        try {
            var mapper = YAMLMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();
            var loaded = mapper.readValue(file.toFile(), KnownDivergences.class);
            return loaded == null ? new KnownDivergences(List.of(), List.of()) : loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The entry that accepts this difference, if any. */
    public Optional<Entry> accepting(Difference d) {
        return divergences.stream().filter(e -> e.covers(d)).findFirst();
    }
}
