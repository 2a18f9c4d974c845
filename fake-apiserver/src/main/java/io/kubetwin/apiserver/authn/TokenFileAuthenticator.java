package io.kubetwin.apiserver.authn;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static token file ({@code --token-auth-file}), read as
 * k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go reads it: CSV records
 * {@code token,user name,user uid[,"group1,group2"]} parsed by Go's encoding/csv (quoted fields, variable
 * field count); a record with fewer than 3 fields stops start-up; an empty token is skipped and a
 * duplicate token replaces the earlier one (both with a warning); the fourth field is split on every
 * comma (so an empty fourth field is one empty group), further fields are ignored.
 * Unknown tokens are "not mine". Immutable after loading, thread-safe.
 */
public final class TokenFileAuthenticator implements TokenAuthenticator {
    private final Map<String, UserInfo> tokens;
    private final List<String> warnings;

    private TokenFileAuthenticator(Map<String, UserInfo> tokens, List<String> warnings) {
        this.tokens = Map.copyOf(tokens);
        this.warnings = List.copyOf(warnings);
    }

    /** A token file built in code (tests, scenarios): token to user. */
    public static TokenFileAuthenticator of(Map<String, UserInfo> tokens) {
        return new TokenFileAuthenticator(tokens, List.of());
    }

    /**
     * Reads the file. Start-up errors carry kube-apiserver's text: {@link UncheckedIOException} for a file
     * that cannot be read ({@code open <path>: no such file or directory}), {@link IllegalArgumentException}
     * for a CSV syntax error or a short record.
     */
    public static TokenFileAuthenticator load(Path path) {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("open " + path + ": no such file or directory", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("open " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException("open " + path + ": " + e.getMessage(), e);
        }
        return parse(path.toString(), content);
    }

    /** Parses file content; {@code path} is only used in messages. */
    public static TokenFileAuthenticator parse(String path, byte[] content) {
        GoCsvReader reader = new GoCsvReader(content);
        Map<String, UserInfo> tokens = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        int recordNum = 0;
        while (true) {
            List<String> record;
            try {
                record = reader.read();
            } catch (GoCsvReader.ParseException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (record == null) {
                break;
            }
            if (record.size() < 3) {
                throw new IllegalArgumentException("token file '" + path + "' must have at least 3 columns "
                        + "(token, user name, user uid), found " + record.size());
            }
            recordNum++;
            String token = record.get(0);
            if (token.isEmpty()) {
                warnings.add(
                        "empty token has been found in token file '" + path + "', record number '" + recordNum + "'");
                continue;
            }
            if (tokens.containsKey(token)) {
                warnings.add("duplicate token has been found in token file '" + path + "', record number '" + recordNum
                        + "'");
            }
            List<String> groups =
                    record.size() >= 4 ? Arrays.asList(record.get(3).split(",", -1)) : List.of();
            tokens.put(token, new UserInfo(record.get(1), record.get(2), groups, Map.of()));
        }
        return new TokenFileAuthenticator(tokens, warnings);
    }

    /** What kube-apiserver logs as warnings while reading the file (empty and duplicate tokens). */
    public List<String> warnings() {
        return warnings;
    }

    public int size() {
        return tokens.size();
    }

    @Override
    public Future<AuthenticationResult> authenticateToken(String token, List<String> audiences) {
        UserInfo user = tokens.get(token);
        return Future.succeededFuture(
                user == null ? AuthenticationResult.NOT_MINE : new AuthenticationResult.Authenticated(user));
    }
}
