package io.kubetwin.apiserver.impersonation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kubetwin.apiserver.api.Status;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImpersonationResolverTest {
    private static final UserInfo ALICE = UserInfo.of("alice", "dev", "system:authenticated");
    private static final Authorizer ALLOW_ALL = attributes -> Decision.allow("");

    /** Headers in order: name, value, name, value, ... (repeated names add values). */
    private static Map<String, List<String>> headers(String... pairs) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.computeIfAbsent(pairs[i], k -> new ArrayList<>()).add(pairs[i + 1]);
        }
        return headers;
    }

    /** Allows only the listed "resource/subresource:namespace/name" items. */
    private static Authorizer allowing(String... items) {
        Set<String> allowed = Set.of(items);
        return a -> allowed.contains(key(a)) ? Decision.allow("") : Decision.noOpinion("");
    }

    private static String key(Attributes a) {
        return a.resource() + (a.subresource().isEmpty() ? "" : "/" + a.subresource()) + ":" + a.namespace() + "/"
                + a.name();
    }

    private static UserInfo user(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
        return new UserInfo(name, uid, groups, extra);
    }

    static Stream<Arguments> impersonations() {
        return Stream.of(
                Arguments.of(
                        "user only",
                        headers("Impersonate-User", "bob"),
                        user("bob", "", List.of("system:authenticated"), Map.of())),
                Arguments.of(
                        "user and groups",
                        headers("Impersonate-User", "bob", "Impersonate-Group", "g1", "Impersonate-Group", "g2"),
                        user("bob", "", List.of("g1", "g2", "system:authenticated"), Map.of())),
                Arguments.of(
                        "requested system:authenticated not doubled",
                        headers(
                                "Impersonate-User",
                                "bob",
                                "Impersonate-Group",
                                "system:authenticated",
                                "Impersonate-Group",
                                "g"),
                        user("bob", "", List.of("system:authenticated", "g"), Map.of())),
                Arguments.of(
                        "requested system:unauthenticated blocks system:authenticated",
                        headers("Impersonate-User", "bob", "Impersonate-Group", "system:unauthenticated"),
                        user("bob", "", List.of("system:unauthenticated"), Map.of())),
                Arguments.of(
                        "service account gets its groups",
                        headers("Impersonate-User", "system:serviceaccount:ns:sa"),
                        user(
                                "system:serviceaccount:ns:sa",
                                "",
                                List.of("system:serviceaccounts", "system:serviceaccounts:ns", "system:authenticated"),
                                Map.of())),
                Arguments.of(
                        "service account with requested groups gets only those",
                        headers("Impersonate-User", "system:serviceaccount:ns:sa", "Impersonate-Group", "g"),
                        user("system:serviceaccount:ns:sa", "", List.of("g", "system:authenticated"), Map.of())),
                Arguments.of(
                        "malformed service-account name is a plain user",
                        headers("Impersonate-User", "system:serviceaccount:ns"),
                        user("system:serviceaccount:ns", "", List.of("system:authenticated"), Map.of())),
                Arguments.of(
                        "anonymous",
                        headers("Impersonate-User", "system:anonymous"),
                        user("system:anonymous", "", List.of("system:unauthenticated"), Map.of())),
                Arguments.of(
                        "anonymous with groups",
                        headers("Impersonate-User", "system:anonymous", "Impersonate-Group", "g"),
                        user("system:anonymous", "", List.of("g", "system:unauthenticated"), Map.of())),
                Arguments.of(
                        "anonymous with system:authenticated",
                        headers("Impersonate-User", "system:anonymous", "Impersonate-Group", "system:authenticated"),
                        user(
                                "system:anonymous",
                                "",
                                List.of("system:authenticated", "system:unauthenticated"),
                                Map.of())),
                Arguments.of(
                        "uid",
                        headers("Impersonate-User", "bob", "Impersonate-Uid", "1234"),
                        user("bob", "1234", List.of("system:authenticated"), Map.of())),
                Arguments.of(
                        "extras: repeated values, lower-cased and percent-decoded keys",
                        headers(
                                "Impersonate-User",
                                "bob",
                                "Impersonate-Extra-Scopes",
                                "view",
                                "Impersonate-Extra-Scopes",
                                "edit",
                                "Impersonate-Extra-Example.COM%2fPath",
                                "x",
                                "impersonate-extra-bad%zz",
                                "y",
                                "Impersonate-Extra-Upper%41",
                                "z"),
                        user(
                                "bob",
                                "",
                                List.of("system:authenticated"),
                                Map.of(
                                        "scopes",
                                        List.of("view", "edit"),
                                        "example.com/path",
                                        List.of("x"),
                                        "bad%zz",
                                        List.of("y"),
                                        "upperA",
                                        List.of("z")))),
                Arguments.of(
                        "header names in any case, first user value wins",
                        headers("impersonate-user", "bob", "IMPERSONATE-USER", "carol", "impersonate-group", "g"),
                        user("bob", "", List.of("g", "system:authenticated"), Map.of())),
                Arguments.of(
                        "empty group value is still a group",
                        headers("Impersonate-User", "bob", "Impersonate-Group", ""),
                        user("bob", "", List.of("", "system:authenticated"), Map.of())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("impersonations")
    void buildsTheImpersonatedUser(String name, Map<String, List<String>> headers, UserInfo expected) {
        ImpersonationOutcome outcome = new ImpersonationResolver(ALLOW_ALL).resolve(headers, ALICE);
        assertEquals(new ImpersonationOutcome.Impersonated(expected), outcome);
    }

    @Test
    void noHeadersNoImpersonation() {
        assertEquals(
                new ImpersonationOutcome.NotImpersonating(),
                new ImpersonationResolver(ALLOW_ALL)
                        .resolve(headers("Accept", "application/json", "Impersonate-User", ""), ALICE));
    }

    @Test
    void authorizesEveryItemForTheRealUser() {
        List<Attributes> seen = new ArrayList<>();
        Authorizer recording = a -> {
            seen.add(a);
            return Decision.allow("");
        };
        new ImpersonationResolver(recording)
                .resolve(
                        headers(
                                "Impersonate-User",
                                "system:serviceaccount:ns:sa",
                                "Impersonate-Group",
                                "g",
                                "Impersonate-Extra-Scopes",
                                "view",
                                "Impersonate-Uid",
                                "u1"),
                        ALICE);
        assertEquals(
                List.of(
                        new Attributes(ALICE, "impersonate", true, "", "ns", "", "", "serviceaccounts", "", "sa"),
                        new Attributes(ALICE, "impersonate", true, "", "", "", "", "groups", "", "g"),
                        new Attributes(
                                ALICE,
                                "impersonate",
                                true,
                                "",
                                "",
                                "authentication.k8s.io",
                                "v1",
                                "userextras",
                                "scopes",
                                "view"),
                        new Attributes(
                                ALICE, "impersonate", true, "", "", "authentication.k8s.io", "v1", "uids", "", "u1")),
                seen);
    }

    static Stream<Arguments> denials() {
        return Stream.of(
                Arguments.of(
                        headers("Impersonate-User", "bob"),
                        allowing(),
                        null,
                        "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                        Status.Details.of("", "users", "bob")),
                Arguments.of(
                        headers("Impersonate-User", "bob", "Impersonate-Group", "system:masters"),
                        allowing("users:/bob"),
                        null,
                        "groups \"system:masters\" is forbidden: User \"alice\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope",
                        Status.Details.of("", "groups", "system:masters")),
                Arguments.of(
                        headers("Impersonate-User", "system:serviceaccount:kube-system:admin"),
                        allowing(),
                        null,
                        "serviceaccounts \"admin\" is forbidden: User \"alice\" cannot impersonate resource \"serviceaccounts\" in API group \"\" in the namespace \"kube-system\"",
                        Status.Details.of("", "serviceaccounts", "admin")),
                Arguments.of(
                        headers("Impersonate-User", "bob", "Impersonate-Extra-Scopes", "view"),
                        allowing("users:/bob"),
                        null,
                        "userextras.authentication.k8s.io \"view\" is forbidden: User \"alice\" cannot impersonate resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster scope",
                        Status.Details.of("authentication.k8s.io", "userextras", "view")),
                Arguments.of(
                        headers("Impersonate-User", "bob", "Impersonate-Uid", "1234"),
                        allowing("users:/bob"),
                        null,
                        "uids.authentication.k8s.io \"1234\" is forbidden: User \"alice\" cannot impersonate resource \"uids\" in API group \"authentication.k8s.io\" at the cluster scope",
                        Status.Details.of("authentication.k8s.io", "uids", "1234")),
                Arguments.of(
                        headers("Impersonate-User", "bob"),
                        (Authorizer) a -> Decision.deny("denied by policy"),
                        null,
                        "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope: denied by policy",
                        Status.Details.of("", "users", "bob")),
                Arguments.of(
                        headers("Impersonate-User", "bob"),
                        (Authorizer) a -> {
                            throw new IllegalStateException("webhook down");
                        },
                        null,
                        "users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                        Status.Details.of("", "users", "bob")),
                Arguments.of(
                        headers("Impersonate-User", "b\"<o>b"),
                        allowing(),
                        UserInfo.of("a&b"),
                        "users \"b\\\"<o>b\" is forbidden: User \"a&amp;b\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
                        Status.Details.of("", "users", "b\"<o>b")));
    }

    @ParameterizedTest
    @MethodSource("denials")
    void deniesWithTheForbiddenWriterText(
            Map<String, List<String>> headers,
            Authorizer authorizer,
            UserInfo requestor,
            String message,
            Status.Details details) {
        ImpersonationOutcome.Forbidden forbidden = assertInstanceOf(
                ImpersonationOutcome.Forbidden.class,
                new ImpersonationResolver(authorizer).resolve(headers, requestor == null ? ALICE : requestor));
        assertEquals(
                Status.failure(403, "Forbidden", message, details),
                forbidden.error().status());
        assertEquals("impersonate", forbidden.attributes().verb());
    }

    static Stream<Arguments> missingUser() {
        return Stream.of(
                Arguments.of(
                        headers("Impersonate-Group", "system:masters"),
                        "requested [{Group  system:masters    }] without impersonating a user"),
                Arguments.of(
                        headers("Impersonate-User", "", "Impersonate-Group", "a", "Impersonate-Group", "b"),
                        "requested [{Group  a    } {Group  b    }] without impersonating a user"),
                Arguments.of(
                        headers("Impersonate-Extra-Scopes", "view"),
                        "requested [{UserExtra  view  authentication.k8s.io/v1  scopes}] without impersonating a user"),
                Arguments.of(
                        headers("Impersonate-Uid", "u1"),
                        "requested [{UID  u1  authentication.k8s.io/v1  }] without impersonating a user"),
                Arguments.of(
                        headers("Impersonate-Uid", "u1", "Impersonate-Group", "g", "Impersonate-Extra-A", "1"),
                        "requested [{Group  g    } {UserExtra  1  authentication.k8s.io/v1  a} {UID  u1  authentication.k8s.io/v1  }] "
                                + "without impersonating a user"));
    }

    @ParameterizedTest
    @MethodSource("missingUser")
    void itemsWithoutAUserArePrintedAsGoObjectReferences(Map<String, List<String>> headers, String error) {
        assertEquals(
                new ImpersonationOutcome.MissingUser(error),
                new ImpersonationResolver(ALLOW_ALL).resolve(headers, ALICE));
    }

    @Test
    void missingUserIsAPlainTextInternalError() {
        var missing = new ImpersonationOutcome.MissingUser("requested [{Group  <g>    }] without impersonating a user");
        assertEquals(
                "Internal Server Error: \"/api/v1/pods?x=1&amp;y=2\": requested [{Group  &lt;g&gt;    }] without "
                        + "impersonating a user\n",
                missing.body("/api/v1/pods?x=1&y=2"));
        assertEquals(
                "Internal Server Error: \"/a&amp;b\": e\n", new ImpersonationOutcome.MissingUser("e").body("/a&b"));
    }

    @Test
    void recognisesHeadersToStrip() {
        assertEquals(
                List.of(true, true, true, true, false),
                Stream.of(
                                "Impersonate-User",
                                "impersonate-group",
                                "Impersonate-Uid",
                                "Impersonate-Extra-foo",
                                "Impersonate-Other")
                        .map(ImpersonationResolver::isImpersonationHeader)
                        .toList());
    }
}
