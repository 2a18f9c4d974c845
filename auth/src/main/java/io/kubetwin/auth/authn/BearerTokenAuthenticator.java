package io.kubetwin.auth.authn;

import io.vertx.core.Future;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code Authorization: Bearer <token>} and hands the token to the token authenticators (tried as a
 * {@link TokenUnion}). Mirrors k8s.io/apiserver/pkg/authentication/request/bearertoken/bearertoken.go:
 * the header is trimmed and split on single spaces, the scheme compared case-insensitively, the token is
 * the second field (anything after it is ignored); an empty token is not a bearer credential, and a token
 * that no authenticator accepts without any of them erring is {@value #INVALID_TOKEN}.
 * Immutable and thread-safe.
 */
public final class BearerTokenAuthenticator implements Authenticator {
    public static final String INVALID_TOKEN = "invalid bearer token";

    private final TokenAuthenticator tokens;

    public BearerTokenAuthenticator(List<TokenAuthenticator> tokenAuthenticators) {
        this.tokens =
                tokenAuthenticators.size() == 1 ? tokenAuthenticators.get(0) : new TokenUnion(tokenAuthenticators);
    }

    /** The token the header carries, or null when it is not a non-empty bearer credential. */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null) {
            return null;
        }
        String auth = goTrimSpace(authorizationHeader);
        if (auth.isEmpty()) {
            return null;
        }
        String[] parts = auth.split(" ", -1);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        return parts[1].isEmpty() ? null : parts[1];
    }

    /**
     * Whether the header is {@code Bearer} followed by two spaces (an empty second field and a third one), which
     * upstream answers with {@value #EXTRA_SPACE_WARNING} as a response warning whenever this authenticator runs.
     */
    public static boolean extraSpaceBeforeToken(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String[] parts = goTrimSpace(authorizationHeader).split(" ", 3);
        return parts.length == 3 && parts[0].toLowerCase(Locale.ROOT).equals("bearer") && parts[1].isEmpty();
    }

    /** bearertoken.go invalidTokenWithSpaceWarning. */
    public static final String EXTRA_SPACE_WARNING =
            "the provided Authorization header contains extra space before the bearer token, and is ignored";

    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        String token = bearerToken(request.authorizationHeader());
        if (token == null) {
            return Future.succeededFuture(AuthenticationResult.NOT_MINE);
        }
        return tokens.authenticateToken(token, request.audiences())
                .map(result -> result instanceof AuthenticationResult.NotMine
                        ? new AuthenticationResult.Failed(INVALID_TOKEN)
                        : result);
    }

    /** strings.TrimSpace: trims Unicode white space (unicode.IsSpace) at both ends. */
    static String goTrimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isGoSpace(char c) {
        return switch (c) {
            case '\t', '\n', 0x0b, '\f', '\r', ' ', 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200a;
        };
    }
}
