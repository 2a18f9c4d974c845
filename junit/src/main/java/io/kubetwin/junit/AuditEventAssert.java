package io.kubetwin.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Narrows an audit assertion down, one condition at a time: each call asserts that at least one event matches all
 * the conditions given so far, waiting for it up to the timeout. Made by {@link KubeTwinAssertions.AuditAssert#hasEvent()}.
 * <pre>{@code
 * assertThat(audit).hasEvent().user("alice").verb("create").resource("pods").decision("forbid");
 * }</pre>
 * A failure lists the conditions and the events seen:
 * <pre>
 * expected an audit event with user=alice, verb=create, resource=pods, decision=allow within 10s; none of the 2 events seen matches:
 *   ResponseComplete create pods default user=alice code=403 decision=forbid
 *   ...
 * </pre>
 * Each call returns a new object; the receiver is unchanged.
 */
public final class AuditEventAssert {
    private static final int SHOWN = 50;

    private final AuditTrail audit;
    private final Duration timeout;
    private final List<String> descriptions;
    private final List<Predicate<AuditRecord>> conditions;
    private AuditRecord matched;

    AuditEventAssert(AuditTrail audit, Duration timeout) {
        this(audit, timeout, List.of(), List.of());
    }

    private AuditEventAssert(
            AuditTrail audit, Duration timeout, List<String> descriptions, List<Predicate<AuditRecord>> conditions) {
        this.audit = audit;
        this.timeout = timeout;
        this.descriptions = descriptions;
        this.conditions = conditions;
    }

    /**
     * Any condition, described for the failure message.
     *
     * @param description what the condition means, such as {@code "code>=400"}
     * @param condition the condition
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert matching(String description, Predicate<AuditRecord> condition) {
        List<String> d = new ArrayList<>(descriptions);
        d.add(description);
        List<Predicate<AuditRecord>> c = new ArrayList<>(conditions);
        c.add(condition);
        return new AuditEventAssert(audit, timeout, List.copyOf(d), List.copyOf(c)).check();
    }

    /**
     * {@code user.username}.
     *
     * @param user the user name
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert user(String user) {
        return field("user", user, AuditRecord::user);
    }

    /**
     * {@code impersonatedUser.username}.
     *
     * @param user the impersonated user's name
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert impersonatedUser(String user) {
        return field("impersonatedUser", user, AuditRecord::impersonatedUser);
    }

    /**
     * {@code verb}.
     *
     * @param verb such as {@code create}, {@code list} or {@code impersonate}
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert verb(String verb) {
        return field("verb", verb, AuditRecord::verb);
    }

    /**
     * {@code objectRef.resource}; with a slash, {@code resource/subresource}.
     *
     * @param resource such as {@code pods} or {@code serviceaccounts/token}
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert resource(String resource) {
        return field(
                "resource",
                resource,
                r -> resource.contains("/") ? r.resource() + "/" + r.subresource() : r.resource());
    }

    /**
     * {@code objectRef.apiGroup}.
     *
     * @param apiGroup the API group, empty for the core group
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert apiGroup(String apiGroup) {
        return field("apiGroup", apiGroup, AuditRecord::apiGroup);
    }

    /**
     * {@code objectRef.namespace}.
     *
     * @param namespace the namespace
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert namespace(String namespace) {
        return field("namespace", namespace, AuditRecord::namespace);
    }

    /**
     * {@code objectRef.name}.
     *
     * @param name the object's name
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert name(String name) {
        return field("name", name, AuditRecord::name);
    }

    /**
     * {@code stage}.
     *
     * @param stage such as {@code ResponseComplete}
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert stage(String stage) {
        return field("stage", stage, AuditRecord::stage);
    }

    /**
     * {@code responseStatus.code}.
     *
     * @param code the HTTP status code
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert code(int code) {
        return matching("code=" + code, r -> r.code() == code);
    }

    /**
     * The authorizer's decision ({@code authorization.k8s.io/decision}).
     *
     * @param decision {@code allow} or {@code forbid}
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert decision(String decision) {
        return field("decision", decision, AuditRecord::decision);
    }

    /**
     * An annotation with this exact value.
     *
     * @param key the annotation key
     * @param value its value
     * @return assertions with this condition added
     * @throws AssertionError when no event matches in time
     */
    public AuditEventAssert annotation(String key, String value) {
        return field(key, value, r -> r.annotations().get(key));
    }

    /**
     * The first event that matches every condition given so far.
     *
     * @return the event
     */
    public AuditRecord event() {
        return matched;
    }

    private AuditEventAssert field(
            String name, String expected, java.util.function.Function<AuditRecord, String> actual) {
        return matching(name + "=" + expected, r -> Objects.equals(actual.apply(r), expected));
    }

    /** Polls the trail until an event matches every condition, or fails with what was seen. */
    AuditEventAssert check() {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<AuditRecord> seen = audit.events();
            for (AuditRecord r : seen) {
                if (conditions.stream().allMatch(c -> c.test(r))) {
                    matched = r;
                    return this;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("expected an audit event"
                        + (descriptions.isEmpty() ? "" : " with " + String.join(", ", descriptions))
                        + " within " + seconds(timeout) + "; none of the " + seen.size() + " events seen matches:"
                        + lines(seen));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for audit events", e);
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static String lines(List<AuditRecord> events) {
        StringBuilder b = new StringBuilder();
        events.stream().limit(SHOWN).forEach(e -> b.append("\n  ").append(e));
        if (events.size() > SHOWN) {
            b.append("\n  ... and ").append(events.size() - SHOWN).append(" more");
        }
        return b.toString();
    }
}
