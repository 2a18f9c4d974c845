package io.kubetwin.apiserver.authn.serviceaccount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceAccountsTest {

    @Test
    void buildsUsernamesAndGroups() {
        assertEquals(
                "system:serviceaccount:kube-system:default", ServiceAccounts.makeUsername("kube-system", "default"));
        assertEquals(
                List.of("system:serviceaccounts", "system:serviceaccounts:kube-system"),
                ServiceAccounts.makeGroupNames("kube-system"));
        assertTrue(ServiceAccounts.matchesUsername("ns", "sa", "system:serviceaccount:ns:sa"));
    }

    @ParameterizedTest
    @CsvSource({
        "system:serviceaccount:ns:sa, ns, sa",
        "system:serviceaccount:kube-system:my.dotted.sa, kube-system, my.dotted.sa",
        "system:serviceaccount:a:b-1, a, b-1"
    })
    void splitsValidUsernames(String username, String namespace, String name) {
        assertEquals(Optional.of(new ServiceAccounts.Name(namespace, name)), ServiceAccounts.splitUsername(username));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "alice",
                "system:serviceaccount:ns",
                "system:serviceaccount:ns:sa:extra",
                "system:serviceaccount::sa",
                "system:serviceaccount:ns:",
                "system:serviceaccount:NS:sa",
                "system:serviceaccount:ns.dot:sa",
                "system:serviceaccount:ns:Sa",
                "system:serviceaccount:ns:-sa",
                "system:serviceaccounts:ns:sa",
                "System:serviceaccount:ns:sa"
            })
    void rejectsAnythingElse(String username) {
        assertEquals(Optional.empty(), ServiceAccounts.splitUsername(username));
    }

    @Test
    void namespaceIsAtMost63AndNameAtMost253Characters() {
        String ns63 = "n".repeat(63);
        String name253 = ("a".repeat(63) + ".").repeat(3) + "b".repeat(61);
        assertEquals(253, name253.length());
        assertTrue(ServiceAccounts.splitUsername(ServiceAccounts.makeUsername(ns63, name253))
                .isPresent());
        assertEquals(Optional.empty(), ServiceAccounts.splitUsername(ServiceAccounts.makeUsername(ns63 + "n", "sa")));
        assertEquals(
                Optional.empty(), ServiceAccounts.splitUsername(ServiceAccounts.makeUsername("ns", name253 + "b")));
    }

    @Test
    void invalidUsernameText() {
        assertEquals(
                "Username must be in the form system:serviceaccount:namespace:name", ServiceAccounts.INVALID_USERNAME);
    }

    @Test
    void userInfoExtrasFollowUtilGo() {
        assertEquals(
                new UserInfo(
                        "system:serviceaccount:ns:sa",
                        "u",
                        List.of("system:serviceaccounts", "system:serviceaccounts:ns"),
                        Map.of()),
                new ServiceAccounts.Info("ns", "sa", "u").toUserInfo());
        // pod extras need both name and uid; node uid only with a node name
        UserInfo partial = new ServiceAccounts.Info("ns", "sa", "u", "pod", "", "", "node-uid", "").toUserInfo();
        assertEquals(Map.of(), partial.extra());
        UserInfo full = new ServiceAccounts.Info("ns", "sa", "u", "pod", "pod-uid", "node", "", "JTI=j").toUserInfo();
        assertEquals(
                Map.of(
                        "authentication.kubernetes.io/pod-name",
                        List.of("pod"),
                        "authentication.kubernetes.io/pod-uid",
                        List.of("pod-uid"),
                        "authentication.kubernetes.io/node-name",
                        List.of("node"),
                        "authentication.kubernetes.io/credential-id",
                        List.of("JTI=j")),
                full.extra());
    }
}
