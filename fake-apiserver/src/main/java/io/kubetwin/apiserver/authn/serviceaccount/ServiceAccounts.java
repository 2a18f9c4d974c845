package io.kubetwin.apiserver.authn.serviceaccount;

import io.kubetwin.auth.attributes.UserInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Service-account naming conventions, as k8s.io/apiserver/pkg/authentication/serviceaccount/util.go:
 * {@code system:serviceaccount:<namespace>:<name>}, groups {@code system:serviceaccounts} and
 * {@code system:serviceaccounts:<namespace>}, and the user extras of a token-authenticated account.
 * Stateless and thread-safe.
 */
public final class ServiceAccounts {
    public static final String USERNAME_PREFIX = "system:serviceaccount:";
    public static final String USERNAME_SEPARATOR = ":";
    public static final String GROUP_PREFIX = "system:serviceaccounts:";
    public static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    public static final String POD_NAME_KEY = "authentication.kubernetes.io/pod-name";
    public static final String POD_UID_KEY = "authentication.kubernetes.io/pod-uid";
    public static final String NODE_NAME_KEY = "authentication.kubernetes.io/node-name";
    public static final String NODE_UID_KEY = "authentication.kubernetes.io/node-uid";
    public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";
    /** The error SplitUsername returns for anything that is not a service-account username. */
    public static final String INVALID_USERNAME = "Username must be in the form system:serviceaccount:namespace:name";

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** A namespace and service-account name. */
    public record Name(String namespace, String name) {}

    /**
     * ServiceAccountInfo: what a validated token says about its account.
     *
     * @param credentialId {@code JTI=<jti>} or "" when the token has no jti
     */
    public record Info(
            String namespace,
            String name,
            String uid,
            String podName,
            String podUid,
            String nodeName,
            String nodeUid,
            String credentialId) {
        public Info(String namespace, String name, String uid) {
            this(namespace, name, uid, "", "", "", "", "");
        }

        /** ServiceAccountInfo.UserInfo: the user a token of this account authenticates as (before the group adder). */
        public UserInfo toUserInfo() {
            Map<String, List<String>> extra = new LinkedHashMap<>();
            if (!podName.isEmpty() && !podUid.isEmpty()) {
                extra.put(POD_NAME_KEY, List.of(podName));
                extra.put(POD_UID_KEY, List.of(podUid));
            }
            if (!credentialId.isEmpty()) {
                extra.put(CREDENTIAL_ID_KEY, List.of(credentialId));
            }
            if (!nodeName.isEmpty()) {
                extra.put(NODE_NAME_KEY, List.of(nodeName));
                if (!nodeUid.isEmpty()) {
                    extra.put(NODE_UID_KEY, List.of(nodeUid));
                }
            }
            return new UserInfo(makeUsername(namespace, name), uid, makeGroupNames(namespace), extra);
        }
    }

    private ServiceAccounts() {}

    public static String makeUsername(String namespace, String name) {
        return USERNAME_PREFIX + namespace + USERNAME_SEPARATOR + name;
    }

    public static List<String> makeGroupNames(String namespace) {
        return List.of(ALL_SERVICE_ACCOUNTS_GROUP, makeNamespaceGroupName(namespace));
    }

    public static String makeNamespaceGroupName(String namespace) {
        return GROUP_PREFIX + namespace;
    }

    /**
     * SplitUsername: the namespace and name of a service-account username, or empty (error
     * {@link #INVALID_USERNAME}) unless the rest after the prefix is exactly two {@code :}-separated parts,
     * a valid namespace name (DNS-1123 label) and a valid service-account name (DNS-1123 subdomain).
     */
    public static Optional<Name> splitUsername(String username) {
        if (username == null || !username.startsWith(USERNAME_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = username.substring(USERNAME_PREFIX.length()).split(USERNAME_SEPARATOR, -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        if (!isDns1123Label(parts[0]) || !isDns1123Subdomain(parts[1])) {
            return Optional.empty();
        }
        return Optional.of(new Name(parts[0], parts[1]));
    }

    /** MatchesUsername: whether {@code username} is exactly the username of namespace/name. */
    public static boolean matchesUsername(String namespace, String name, String username) {
        return makeUsername(namespace, name).equals(username);
    }

    static boolean isDns1123Label(String value) {
        return value.length() <= 63 && DNS1123_LABEL.matcher(value).matches();
    }

    static boolean isDns1123Subdomain(String value) {
        return value.length() <= 253 && DNS1123_SUBDOMAIN.matcher(value).matches();
    }
}
