package io.kubetwin.junit;

import java.time.Duration;

/**
 * Fluent assertions on what a fake apiserver saw:
 * <pre>{@code
 * import static io.kubetwin.junit.KubeTwinAssertions.assertThat;
 *
 * assertThat(audit).hasEvent().user("alice").verb("create").resource("pods").decision("forbid");
 * }</pre>
 * Audit events are written while the request completes, and may be read a moment later: each step waits (10
 * seconds by default, {@link AuditAssert#within}) for an event that matches every condition so far, and fails with
 * the conditions and every event seen.
 */
public final class KubeTwinAssertions {
    private KubeTwinAssertions() {}

    /**
     * Assertions on an audit trail.
     *
     * @param audit the trail, injected or from {@link KubeTwinServer#audit()}
     * @return the assertions
     */
    public static AuditAssert assertThat(AuditTrail audit) {
        return new AuditAssert(audit, Duration.ofSeconds(10));
    }

    /** Assertions on the events of one {@link AuditTrail}. Immutable. */
    public static final class AuditAssert {
        private final AuditTrail audit;
        private final Duration timeout;

        AuditAssert(AuditTrail audit, Duration timeout) {
            this.audit = audit;
            this.timeout = timeout;
        }

        /**
         * The same assertions with another wait for events on their way.
         *
         * @param timeout how long each step waits at most
         * @return new assertions
         */
        public AuditAssert within(Duration timeout) {
            return new AuditAssert(audit, timeout);
        }

        /**
         * Asserts that an event exists (waiting for one), and returns assertions that narrow it down: each of their
         * calls asserts that one event matches all the conditions given so far.
         *
         * @return the event assertions
         * @throws AssertionError when no event arrives in time
         */
        public AuditEventAssert hasEvent() {
            return new AuditEventAssert(audit, timeout).check();
        }

        /**
         * Asserts that no event matches {@code condition}, now (it does not wait: call it after a positive assertion
         * on a later event when events may be on their way).
         *
         * @param description what the condition means, for the failure message
         * @param condition the condition no event may meet
         * @throws AssertionError listing the matching events
         */
        public void hasNoEvent(String description, java.util.function.Predicate<AuditRecord> condition) {
            var matching = audit.events().stream().filter(condition).toList();
            if (!matching.isEmpty()) {
                throw new AssertionError("expected no audit event matching " + description + ", but saw "
                        + matching.size() + ":" + AuditEventAssert.lines(matching));
            }
        }
    }
}
