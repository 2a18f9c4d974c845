package io.kubetwin.apiserver.impersonation;

import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccounts;
import io.kubetwin.apiserver.authz.ForbiddenMessages;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The impersonation filter's decision (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, 1.34):
 * <ul>
 * <li>{@code Impersonate-User} (first value) names a service account when it parses as
 *     {@code system:serviceaccount:<ns>:<name>}, else a user; each {@code Impersonate-Group} value is a group;
 *     each value of each {@code Impersonate-Extra-<key>} is an extra, the key lower-cased then
 *     percent-decoded (kept as sent when malformed); {@code Impersonate-Uid} (first value) is the UID;</li>
 * <li>groups, extras or a UID without a user is {@link ImpersonationOutcome.MissingUser};</li>
 * <li>every item is authorized for the real caller with verb {@code impersonate} on {@code serviceaccounts}
 *     (namespaced), {@code users}, {@code groups}, {@code userextras/<key>} or {@code uids} (the last two in
 *     group {@code authentication.k8s.io}); the first one not allowed, or an authorizer failure, is a 403;</li>
 * <li>the new user has exactly the requested groups, or for a service account without requested groups
 *     {@code system:serviceaccounts, system:serviceaccounts:<ns>}; then {@code system:authenticated} is appended
 *     unless the user is {@code system:anonymous} or the groups hold {@code system:authenticated} or
 *     {@code system:unauthenticated}, and {@code system:unauthenticated} is appended to an anonymous user
 *     that lacks it. Nothing of the real user carries over.</li>
 * </ul>
 * Header names match case-insensitively; extras are taken in header order (upstream iterates a Go map, in
 * no fixed order). Immutable and thread-safe.
 */
public final class ImpersonationResolver {
    public static final String USER_HEADER = "Impersonate-User";
    public static final String GROUP_HEADER = "Impersonate-Group";
    public static final String UID_HEADER = "Impersonate-Uid";
    public static final String EXTRA_HEADER_PREFIX = "Impersonate-Extra-";
    public static final String VERB = "impersonate";
    private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";
    private static final String AUTHENTICATION_V1 = "authentication.k8s.io/v1";

    private final Authorizer authorizer;

    public ImpersonationResolver(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Whether a header is one the stage removes before the request goes on. */
    public static boolean isImpersonationHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("impersonate-user")
                || lower.equals("impersonate-group")
                || lower.equals("impersonate-uid")
                || lower.startsWith("impersonate-extra-");
    }

    /**
     * Decides for one request. Called by the impersonation stage after authentication, on the event loop.
     *
     * @param headers the request headers, any name case, values in arrival order
     * @param requestor the authenticated user
     */
    public ImpersonationOutcome resolve(Map<String, List<String>> headers, UserInfo requestor) {
        Map<String, List<String>> canonical = canonical(headers);
        List<ImpersonationRequest> requests = new ArrayList<>();
        String requestedUser = first(canonical.get("impersonate-user"));
        boolean hasUser = !requestedUser.isEmpty();
        if (hasUser) {
            Optional<ServiceAccounts.Name> sa = ServiceAccounts.splitUsername(requestedUser);
            requests.add(
                    sa.isPresent()
                            ? ImpersonationRequest.of(
                                    "ServiceAccount",
                                    sa.get().namespace(),
                                    sa.get().name(),
                                    "",
                                    "")
                            : ImpersonationRequest.of("User", "", requestedUser, "", ""));
        }
        List<String> groupValues = canonical.getOrDefault("impersonate-group", List.of());
        for (String group : groupValues) {
            requests.add(ImpersonationRequest.of("Group", "", group, "", ""));
        }
        boolean hasExtra = false;
        for (Map.Entry<String, List<String>> header : canonical.entrySet()) {
            if (!header.getKey().startsWith("impersonate-extra-")) {
                continue;
            }
            hasExtra = true;
            String key = unescapeExtraKey(header.getKey().substring(EXTRA_HEADER_PREFIX.length()));
            for (String value : header.getValue()) {
                requests.add(ImpersonationRequest.of("UserExtra", "", value, AUTHENTICATION_V1, key));
            }
        }
        String requestedUid = first(canonical.get("impersonate-uid"));
        boolean hasUid = !requestedUid.isEmpty();
        if (hasUid) {
            requests.add(ImpersonationRequest.of("UID", "", requestedUid, AUTHENTICATION_V1, ""));
        }
        if ((!groupValues.isEmpty() || hasExtra || hasUid) && !hasUser) {
            List<String> printed = new ArrayList<>();
            for (ImpersonationRequest request : requests) {
                printed.add(request.goValue());
            }
            return new ImpersonationOutcome.MissingUser(
                    "requested [" + String.join(" ", printed) + "] without impersonating a user");
        }
        if (requests.isEmpty()) {
            return new ImpersonationOutcome.NotImpersonating();
        }
        return authorize(requests, requestor, !groupValues.isEmpty());
    }

    private ImpersonationOutcome authorize(
            List<ImpersonationRequest> requests, UserInfo requestor, boolean groupsSpecified) {
        String username = "";
        List<String> groups = new ArrayList<>();
        Map<String, List<String>> extra = new LinkedHashMap<>();
        String uid = "";
        for (ImpersonationRequest request : requests) {
            String apiGroup = request.apiVersion().isEmpty() ? "" : AUTHENTICATION_GROUP;
            String apiVersion = request.apiVersion().isEmpty() ? "" : "v1";
            String resource;
            String subresource = "";
            switch (request.kind()) {
                case "ServiceAccount" -> {
                    resource = "serviceaccounts";
                    username = ServiceAccounts.makeUsername(request.namespace(), request.name());
                    if (!groupsSpecified) {
                        groups = new ArrayList<>(ServiceAccounts.makeGroupNames(request.namespace()));
                    }
                }
                case "User" -> {
                    resource = "users";
                    username = request.name();
                }
                case "Group" -> {
                    resource = "groups";
                    groups.add(request.name());
                }
                case "UserExtra" -> {
                    resource = "userextras";
                    subresource = request.fieldPath();
                    extra.computeIfAbsent(request.fieldPath(), k -> new ArrayList<>())
                            .add(request.name());
                }
                default -> {
                    resource = "uids";
                    uid = request.name();
                }
            }
            Attributes attributes = new Attributes(
                    requestor,
                    VERB,
                    true,
                    "",
                    request.namespace(),
                    apiGroup,
                    apiVersion,
                    resource,
                    subresource,
                    request.name());
            Decision decision;
            try {
                decision = authorizer.authorize(attributes);
            } catch (RuntimeException e) {
                // upstream: an authorizer error is a denial with the (empty) reason
                decision = Decision.noOpinion("");
            }
            if (!decision.isAllowed()) {
                return new ImpersonationOutcome.Forbidden(
                        ForbiddenMessages.forbidden(attributes, decision.reason()), attributes);
            }
        }
        if (!username.equals(UserInfo.ANONYMOUS)) {
            if (!groups.contains(UserInfo.ALL_AUTHENTICATED) && !groups.contains(UserInfo.ALL_UNAUTHENTICATED)) {
                groups.add(UserInfo.ALL_AUTHENTICATED);
            }
        } else if (!groups.contains(UserInfo.ALL_UNAUTHENTICATED)) {
            groups.add(UserInfo.ALL_UNAUTHENTICATED);
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        extra.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new ImpersonationOutcome.Impersonated(new UserInfo(username, uid, groups, frozen));
    }

    /** Header values merged under lower-cased names, first-seen order (Go canonicalises header names). */
    private static Map<String, List<String>> canonical(Map<String, List<String>> headers) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getValue() == null) {
                continue;
            }
            merged.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .addAll(header.getValue());
        }
        return merged;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    /** url.PathUnescape of the lower-cased key; the key as sent when an escape is malformed. */
    static String unescapeExtraKey(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = encoded.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length || hex(bytes[i + 1]) < 0 || hex(bytes[i + 2]) < 0) {
                    return encoded;
                }
                out.write(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
