package io.kubetwin.apiserver.audit.reader;

import io.kubetwin.apiserver.audit.event.AuditEvent;
import io.kubetwin.apiserver.audit.event.AuditEventJson;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A filtered view of an {@link AuditLog}. Each filter returns a new query (the receiver is unchanged); the
 * terminal methods ({@link #list()}, {@link #single()}, ...) apply them. Assertion failures are
 * {@link AssertionError}s that describe the filters and show what matched, so that they read well in test
 * reports.
 */
public final class AuditQuery {
    private final List<AuditEvent> events;
    private final List<Filter> filters;

    private record Filter(String description, Predicate<AuditEvent> test) {}

    AuditQuery(List<AuditEvent> events, List<Filter> filters) {
        this.events = events;
        this.filters = filters;
    }

    /** Any custom condition, described for failure messages. */
    public AuditQuery where(String description, Predicate<AuditEvent> test) {
        List<Filter> more = new ArrayList<>(filters);
        more.add(new Filter(description, test));
        return new AuditQuery(events, more);
    }

    /** The authenticated user's name ({@code user.username}). */
    public AuditQuery user(String username) {
        return where("user=" + username, e -> e.user().username().equals(username));
    }

    /** The impersonated user's name. */
    public AuditQuery impersonatedUser(String username) {
        return where(
                "impersonatedUser=" + username,
                e -> e.impersonatedUser() != null
                        && e.impersonatedUser().username().equals(username));
    }

    public AuditQuery verb(String verb) {
        return where("verb=" + verb, e -> e.verb().equals(verb));
    }

    public AuditQuery auditId(String auditId) {
        return where("auditID=" + auditId, e -> e.auditId().equals(auditId));
    }

    public AuditQuery requestUri(String uri) {
        return where("requestURI=" + uri, e -> e.requestUri().equals(uri));
    }

    /** {@code objectRef.resource}; with a slash, {@code resource/subresource}. */
    public AuditQuery resource(String resource) {
        return where(
                "resource=" + resource,
                e -> e.objectRef() != null
                        && (resource.contains("/")
                                ? (e.objectRef().resource() + "/"
                                                + e.objectRef().subresource())
                                        .equals(resource)
                                : e.objectRef().resource().equals(resource)));
    }

    public AuditQuery apiGroup(String group) {
        return where(
                "apiGroup=" + group,
                e -> e.objectRef() != null && e.objectRef().apiGroup().equals(group));
    }

    public AuditQuery namespace(String namespace) {
        return where(
                "namespace=" + namespace,
                e -> e.objectRef() != null && e.objectRef().namespace().equals(namespace));
    }

    public AuditQuery name(String name) {
        return where(
                "name=" + name,
                e -> e.objectRef() != null && e.objectRef().name().equals(name));
    }

    public AuditQuery level(Level level) {
        return where("level=" + level, e -> e.level() == level);
    }

    public AuditQuery stage(Stage stage) {
        return where("stage=" + stage, e -> e.stage() == stage);
    }

    public AuditQuery code(int code) {
        return where("code=" + code, e -> e.code() == code);
    }

    /** An annotation with this exact value. */
    public AuditQuery annotation(String key, String value) {
        return where(key + "=" + value, e -> Objects.equals(e.annotation(key), value));
    }

    /** An annotation with any value. */
    public AuditQuery hasAnnotation(String key) {
        return where("has " + key, e -> e.annotations().containsKey(key));
    }

    public List<AuditEvent> list() {
        return events.stream()
                .filter(e -> filters.stream().allMatch(f -> f.test().test(e)))
                .toList();
    }

    public int count() {
        return list().size();
    }

    public boolean isEmpty() {
        return list().isEmpty();
    }

    /** The first match, or an AssertionError. */
    public AuditEvent first() {
        List<AuditEvent> found = list();
        if (found.isEmpty()) {
            throw new AssertionError("no audit event matches " + describe() + " among " + events.size() + " events");
        }
        return found.get(0);
    }

    /** The only match, or an AssertionError saying how many there were. */
    public AuditEvent single() {
        List<AuditEvent> found = list();
        if (found.size() != 1) {
            throw failure(1, found);
        }
        return found.get(0);
    }

    /** Asserts the number of matches; returns this query for chaining. */
    public AuditQuery expectCount(int expected) {
        List<AuditEvent> found = list();
        if (found.size() != expected) {
            throw failure(expected, found);
        }
        return this;
    }

    /** Asserts nothing matches. */
    public void expectNone() {
        expectCount(0);
    }

    private AssertionError failure(int expected, List<AuditEvent> found) {
        StringBuilder b = new StringBuilder("expected ")
                .append(expected)
                .append(" audit event(s) matching ")
                .append(describe())
                .append(", found ")
                .append(found.size());
        found.stream().limit(5).forEach(e -> b.append("\n  ").append(AuditEventJson.toJson(e)));
        return new AssertionError(b.toString());
    }

    private String describe() {
        return filters.isEmpty()
                ? "anything"
                : String.join(", ", filters.stream().map(Filter::description).toList());
    }
}
