package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Completion indexes as ordered, merged intervals (pkg/controller/job/indexed_job_utils.go orderedIntervals:
 * {@code status.completedIndexes} and {@code status.failedIndexes}, written {@code 0,1,3-5}: two neighbours with a
 * comma, three or more with a dash), and the success policy over them (success_policy.go). Immutable.
 */
record JobIndexes(List<int[]> intervals) {
    static final JobIndexes NONE = new JobIndexes(List.of());

    /** parseIndexesFromString: corrupt intervals are skipped, indexes from {@code completions} on are dropped. */
    static JobIndexes parse(String text, int completions) {
        List<int[]> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return NONE;
        }
        for (String part : text.split(",", -1)) {
            String[] limits = part.split("-", -1);
            int first;
            int last;
            try {
                first = Integer.parseInt(limits[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (first >= completions) {
                break;
            }
            if (limits.length > 1) {
                try {
                    last = Integer.parseInt(limits[1]);
                } catch (NumberFormatException e) {
                    continue;
                }
                last = Math.min(last, completions - 1);
            } else {
                last = first;
            }
            if (!out.isEmpty() && out.get(out.size() - 1)[1] == first - 1) {
                out.get(out.size() - 1)[1] = last;
            } else {
                out.add(new int[] {first, last});
            }
        }
        return new JobIndexes(List.copyOf(out));
    }

    /** withOrderedIndexes: these intervals and the given indexes, merged. */
    JobIndexes with(Collection<Integer> indexes) {
        List<int[]> single = new ArrayList<>();
        for (int ix : new TreeSet<>(indexes)) {
            single.add(new int[] {ix, ix});
        }
        return merge(new JobIndexes(single));
    }

    /** merge: the union, adjacent intervals joined. */
    JobIndexes merge(JobIndexes other) {
        List<int[]> all = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < intervals.size() || j < other.intervals.size()) {
            int[] next = j >= other.intervals.size()
                            || i < intervals.size()
                                    && intervals.get(i)[0] < other.intervals.get(j)[0]
                    ? intervals.get(i++)
                    : other.intervals.get(j++);
            int[] last = all.isEmpty() ? null : all.get(all.size() - 1);
            if (last == null || next[0] > last[1] + 1) {
                all.add(new int[] {next[0], next[1]});
            } else if (last[1] < next[1]) {
                last[1] = next[1];
            }
        }
        return new JobIndexes(List.copyOf(all));
    }

    int total() {
        int n = 0;
        for (int[] iv : intervals) {
            n += iv[1] - iv[0] + 1;
        }
        return n;
    }

    boolean has(int ix) {
        for (int[] iv : intervals) {
            if (iv[0] <= ix && ix <= iv[1]) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return intervals.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int[] iv : intervals) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(iv[0]);
            if (iv[1] > iv[0]) {
                b.append(iv[1] == iv[0] + 1 ? ',' : '-').append(iv[1]);
            }
        }
        return b.toString();
    }

    /**
     * matchSuccessPolicy: the message of the first rule these succeeded indexes meet ({@code Matched rules at index
     * N}), else null.
     */
    String matchSuccessPolicy(JsonNode successPolicy, int completions) {
        if (successPolicy == null || successPolicy.isMissingNode() || successPolicy.isNull() || isEmpty()) {
            return null;
        }
        int index = 0;
        for (JsonNode rule : successPolicy.path("rules")) {
            JsonNode count = rule.get("succeededCount");
            if (rule.hasNonNull("succeededIndexes")) {
                JobIndexes required = parse(rule.get("succeededIndexes").asText(), completions);
                if (!required.isEmpty() && matchesRule(required, count)) {
                    return "Matched rules at index " + index;
                }
            } else if (count != null && !count.isNull() && total() >= count.asInt()) {
                return "Matched rules at index " + index;
            }
            index++;
        }
        return null;
    }

    /** matchSucceededIndexesRule: all the rule's indexes succeeded, or at least succeededCount of them. */
    private boolean matchesRule(JobIndexes rule, JsonNode succeededCount) {
        int contains = 0;
        for (int[] r : rule.intervals) {
            for (int[] s : intervals) {
                int overlap = Math.min(r[1], s[1]) - Math.max(r[0], s[0]) + 1;
                if (overlap > 0) {
                    contains += overlap;
                }
            }
        }
        return contains == rule.total()
                || succeededCount != null && !succeededCount.isNull() && contains >= succeededCount.asInt();
    }
}
