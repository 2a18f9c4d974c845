package io.kubetwin.apiserver.controllers;

import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;
import java.util.Map;

/**
 * Who the controllers act as, and the API errors they tolerate. The reference runs kube-controller-manager
 * with --use-service-account-credentials, so each controller writes as its own ServiceAccount in
 * kube-system (bound by the bootstrap policy to its system:controller:* role). The UID of those
 * identities is left empty: the fake issues no tokens to itself.
 */
final class ControllerIdentity {
    static final String KUBE_SYSTEM = "kube-system";

    private ControllerIdentity() {}

    /** {@code system:serviceaccount:kube-system:<name>} with the ServiceAccount groups. */
    static UserInfo serviceAccount(String name) {
        return new UserInfo(
                "system:serviceaccount:" + KUBE_SYSTEM + ":" + name,
                "",
                List.of("system:serviceaccounts", "system:serviceaccounts:" + KUBE_SYSTEM, UserInfo.ALL_AUTHENTICATED),
                Map.of());
    }

    /** kube-controller-manager's own credential (it creates the controllers' ServiceAccounts). */
    static UserInfo controllerManager() {
        return new UserInfo("system:kube-controller-manager", "", List.of(UserInfo.ALL_AUTHENTICATED), Map.of());
    }

    static boolean isNotFound(Throwable e) {
        return e instanceof StatusException se && se.code() == 404;
    }

    static boolean isAlreadyExists(Throwable e) {
        return e instanceof StatusException se
                && se.code() == 409
                && "AlreadyExists".equals(se.status().reason());
    }

    /** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
    static boolean isNamespaceTerminating(Throwable e) {
        return e instanceof StatusException se
                && se.status().details() != null
                && se.status().details().causes() != null
                && se.status().details().causes().stream().anyMatch(c -> "NamespaceTerminating".equals(c.reason()));
    }
}
