package io.kubetwin.apiserver.controllers;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob schedule as github.com/robfig/cron/v3's standard parser reads it (parser.go, spec.go,
 * constantdelay.go): five fields (minute, hour, day of month, month, day of week) with {@code *}, {@code ?},
 * ranges, steps, lists and month or weekday names; the descriptors {@code @yearly}, {@code @annually},
 * {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @midnight}, {@code @hourly} and {@code @every
 * DURATION}; an optional {@code TZ=} or {@code CRON_TZ=} prefix. Day of month and day of week are both required to
 * match when either is {@code *}, else either may (spec.go dayMatches). Immutable.
 */
final class CronSchedule {
    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1),
            Map.entry("feb", 2),
            Map.entry("mar", 3),
            Map.entry("apr", 4),
            Map.entry("may", 5),
            Map.entry("jun", 6),
            Map.entry("jul", 7),
            Map.entry("aug", 8),
            Map.entry("sep", 9),
            Map.entry("oct", 10),
            Map.entry("nov", 11),
            Map.entry("dec", 12));
    private static final Map<String, Integer> DAYS =
            Map.of("sun", 0, "mon", 1, "tue", 2, "wed", 3, "thu", 4, "fri", 5, "sat", 6);

    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet dom;
    private final BitSet months;
    private final BitSet dow;
    private final boolean domStar;
    private final boolean dowStar;
    private final Duration every;
    private final ZoneId zone;

    private CronSchedule(
            BitSet minutes,
            BitSet hours,
            BitSet dom,
            BitSet months,
            BitSet dow,
            boolean domStar,
            boolean dowStar,
            Duration every,
            ZoneId zone) {
        this.minutes = minutes;
        this.hours = hours;
        this.dom = dom;
        this.months = months;
        this.dow = dow;
        this.domStar = domStar;
        this.dowStar = dowStar;
        this.every = every;
        this.zone = zone;
    }

    /** Parses {@code spec} in {@code zone} (the CronJob's timeZone, or the controller's local zone: UTC here). */
    static CronSchedule parse(String spec, ZoneId zone) {
        String s = spec.trim();
        if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
            int space = s.indexOf(' ');
            if (space < 0) {
                throw new IllegalArgumentException("missing spec after timezone");
            }
            zone = ZoneId.of(s.substring(s.indexOf('=') + 1, space));
            s = s.substring(space + 1).trim();
        }
        if (s.startsWith("@")) {
            return descriptor(s, zone);
        }
        String[] f = s.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": " + s);
        }
        return new CronSchedule(
                field(f[0], 0, 59, Map.of()),
                field(f[1], 0, 23, Map.of()),
                field(f[2], 1, 31, Map.of()),
                field(f[3], 1, 12, MONTHS),
                field(f[4], 0, 6, DAYS),
                f[2].equals("*") || f[2].equals("?"),
                f[4].equals("*") || f[4].equals("?"),
                null,
                zone);
    }

    private static CronSchedule descriptor(String s, ZoneId zone) {
        String fields =
                switch (s) {
                    case "@yearly", "@annually" -> "0 0 1 1 *";
                    case "@monthly" -> "0 0 1 * *";
                    case "@weekly" -> "0 0 * * 0";
                    case "@daily", "@midnight" -> "0 0 * * *";
                    case "@hourly" -> "0 * * * *";
                    default -> null;
                };
        if (fields != null) {
            return parse(fields, zone);
        }
        if (s.startsWith("@every ")) {
            Duration d = GoDuration.parse(s.substring("@every ".length()).trim());
            // constantdelay.go: at least a second, whole seconds
            d = d.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : d.truncatedTo(ChronoUnit.SECONDS);
            return new CronSchedule(null, null, null, null, null, false, false, d, zone);
        }
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
    }

    private static BitSet field(String text, int min, int max, Map<String, Integer> names) {
        BitSet bits = new BitSet(max + 1);
        for (String part : text.split(",")) {
            String range = part;
            int step = 1;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                range = part.substring(0, slash);
                step = Integer.parseInt(part.substring(slash + 1));
                if (step <= 0) {
                    throw new IllegalArgumentException("step of range should be a positive number: " + part);
                }
            }
            int lo;
            int hi;
            if (range.equals("*") || range.equals("?")) {
                lo = min;
                hi = max;
            } else {
                int dash = range.indexOf('-');
                lo = value(dash < 0 ? range : range.substring(0, dash), names);
                hi = dash < 0 ? (slash >= 0 ? max : lo) : value(range.substring(dash + 1), names);
            }
            if (lo < min || hi > max || lo > hi) {
                throw new IllegalArgumentException("value out of range (" + min + "-" + max + "): " + part);
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int value(String text, Map<String, Integer> names) {
        Integer named = names.get(text.toLowerCase(Locale.ROOT));
        if (named != null) {
            return named;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("failed to parse int from " + text);
        }
    }

    /** The first activation strictly after {@code t} (Schedule.Next); null if none within five years. */
    Instant next(Instant t) {
        if (every != null) {
            return t.truncatedTo(ChronoUnit.SECONDS).plus(every);
        }
        ZonedDateTime z = t.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        ZonedDateTime limit = z.plusYears(5);
        while (z.isBefore(limit)) {
            if (!months.get(z.getMonthValue())) {
                z = z.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
                continue;
            }
            if (!dayMatches(z)) {
                z = z.truncatedTo(ChronoUnit.DAYS).plusDays(1);
                continue;
            }
            if (!hours.get(z.getHour())) {
                z = z.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(z.getMinute())) {
                z = z.plusMinutes(1);
                continue;
            }
            return z.toInstant();
        }
        return null;
    }

    private boolean dayMatches(ZonedDateTime z) {
        boolean d = dom.get(z.getDayOfMonth());
        boolean w = dow.get(z.getDayOfWeek().getValue() % 7);
        return domStar || dowStar ? d && w : d || w;
    }

    ZoneId zone() {
        return zone;
    }

    /** Go's time.ParseDuration for the units a schedule uses (h, m, s, ms; sums such as 1h30m). */
    static final class GoDuration {
        private GoDuration() {}

        static Duration parse(String text) {
            var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)")
                    .matcher(text);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find()) {
                if (m.start() != end) {
                    throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
                }
                end = m.end();
                double n = Double.parseDouble(m.group(1));
                long nanos = (long) (n
                        * switch (m.group(2)) {
                            case "ns" -> 1L;
                            case "us", "µs" -> 1_000L;
                            case "ms" -> 1_000_000L;
                            case "s" -> 1_000_000_000L;
                            case "m" -> 60_000_000_000L;
                            default -> 3_600_000_000_000L;
                        });
                total = total.plusNanos(nanos);
            }
            if (end != text.length() || text.isEmpty()) {
                throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
            }
            return total;
        }
    }
}
