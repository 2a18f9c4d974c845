package io.kubetwin.apiserver.audit.event;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.GoText;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code user} and {@code impersonatedUser} of an event (authentication.k8s.io/v1 UserInfo). Every field
 * is omitted from JSON when empty, so a request that failed authentication has {@code "user":{}}.
 * {@code extra} is ordered as Go orders map keys.
 */
public record EventUser(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final EventUser NONE = new EventUser("", "", List.of(), Map.of());

    public EventUser {
        username = username == null ? "" : username;
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        TreeMap<String, List<String>> sorted = new TreeMap<>(GoText.ORDER);
        if (extra != null) {
            extra.forEach((k, v) -> sorted.put(k, v == null ? List.of() : List.copyOf(v)));
        }
        extra = Collections.unmodifiableMap(sorted);
    }

    /** The event form of an authenticated identity; {@link #NONE} for null. */
    public static EventUser of(UserInfo user) {
        return user == null ? NONE : new EventUser(user.name(), user.uid(), user.groups(), user.extra());
    }

    public static EventUser of(String username, String... groups) {
        return new EventUser(username, "", List.of(groups), Map.of());
    }
}
