package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A Job's pod failure backoff (pkg/controller/job/backoff_utils.go): the failures since the last success and when
 * the last of them finished; a new pod waits 10s, doubled per further failure up to 6 minutes, from that time.
 *
 * @param failures    the failures after the last success
 * @param lastFailure when the last of them finished, null without one
 */
record JobBackoff(int failures, Instant lastFailure) {
    static final JobBackoff NONE = new JobBackoff(0, null);
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

    /** newBackoffRecord: failures after the last success, and when the last of them finished. */
    JobBackoff next(List<ObjectNode> succeeded, List<ObjectNode> failed) {
        Comparator<ObjectNode> byFinish = Comparator.comparing(JobPods::finishedTime);
        List<ObjectNode> s = succeeded.stream().sorted(byFinish).toList();
        List<ObjectNode> f = failed.stream().sorted(byFinish).toList();
        if (s.isEmpty()) {
            return f.isEmpty() ? this : new JobBackoff(failures + f.size(), JobPods.finishedTime(f.get(f.size() - 1)));
        }
        Instant lastSuccess = JobPods.finishedTime(s.get(s.size() - 1));
        int count = 0;
        Instant last = null;
        for (int i = f.size() - 1; i >= 0; i--) {
            Instant t = JobPods.finishedTime(f.get(i));
            if (!t.isAfter(lastSuccess)) {
                break;
            }
            if (last == null) {
                last = t;
            }
            count++;
        }
        return new JobBackoff(count, last);
    }

    /** getRemainingTimeForFailuresCount with this record's failures. */
    Duration remaining(Instant now) {
        return remaining(failures, lastFailure, now);
    }

    /** getRemainingTimeForFailuresCount. */
    static Duration remaining(int failures, Instant lastFailure, Instant now) {
        if (failures == 0 || lastFailure == null) {
            return Duration.ZERO;
        }
        Duration backoff = BACKOFF;
        for (int i = 1; i < failures; i++) {
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) >= 0) {
                backoff = MAX_BACKOFF;
                break;
            }
        }
        Duration elapsed = Duration.between(lastFailure, now);
        return backoff.compareTo(elapsed) < 0 ? Duration.ZERO : backoff.minus(elapsed);
    }
}
