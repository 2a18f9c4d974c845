package io.kubetwin.kubelet.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loop and texts of server.go InstallAuthFilter (v1.32+). */
class KubeletAuthorizationTest {
    private static final UserInfo ANONYMOUS = UserInfo.of("system:anonymous", "system:unauthenticated");

    private static Authorizer allowing(Set<String> subresources, List<String> asked) {
        return a -> {
            asked.add(a.subresource());
            return subresources.contains(a.subresource()) ? Decision.allow("") : Decision.noOpinion("");
        };
    }

    private static KubeletAuthorization.Outcome run(
            Authorizer authorizer, boolean fineGrained, String method, String path) {
        List<Attributes> attributes =
                new NodeRequestAttributes("node-1", fineGrained).attributes(ANONYMOUS, method, path);
        return new KubeletAuthorization(authorizer).authorize(attributes);
    }

    @ParameterizedTest(name = "{0} {1} gate={2}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /pods          | true  | Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[pods proxy])
            GET  | /pods          | false | Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[proxy])
            POST | /exec/a/b/c    | true  | Forbidden (user=system:anonymous, verb=create, resource=nodes, subresource(s)=[proxy])
            GET  | /stats/summary | true  | Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource(s)=[stats])
            HEAD | /healthz       | true  | Forbidden (user=system:anonymous, verb=, resource=nodes, subresource(s)=[healthz proxy])
            """)
    void forbiddenTexts(String method, String path, boolean fineGrained, String text) {
        KubeletAuthorization.Outcome outcome = run(allowing(Set.of(), new ArrayList<>()), fineGrained, method, path);
        assertEquals(new KubeletAuthorization.Outcome.Forbidden(text + "\n"), outcome);
    }

    @Test
    void anyCandidateAllowsAndStopsAtTheFirstAllow() {
        List<String> asked = new ArrayList<>();
        assertEquals(
                new KubeletAuthorization.Outcome.Allowed(), run(allowing(Set.of("pods"), asked), true, "GET", "/pods"));
        assertEquals(List.of("pods"), asked);
        asked.clear();
        assertEquals(
                new KubeletAuthorization.Outcome.Allowed(),
                run(allowing(Set.of("proxy"), asked), true, "GET", "/pods"));
        assertEquals(List.of("pods", "proxy"), asked);
    }

    @Test
    void anAuthorizerErrorIsA500NamingTheSubresourceTried() {
        Authorizer failing = a -> {
            throw new IllegalStateException("webhook down");
        };
        assertEquals(
                new KubeletAuthorization.Outcome.Error(
                        "Authorization error (user=system:anonymous, verb=get, resource=nodes, subresource=pods)"),
                run(failing, true, "GET", "/pods"));
    }
}
