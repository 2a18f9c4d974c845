package io.kubetwin.apiserver.authn;

import static io.kubetwin.apiserver.authn.TestCerts.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authn.AuthenticationResult;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenFileAuthenticatorTest {

    private static TokenFileAuthenticator parse(String content) {
        return TokenFileAuthenticator.parse("/etc/tokens.csv", content.getBytes(StandardCharsets.UTF_8));
    }

    private static AuthenticationResult lookup(TokenFileAuthenticator file, String token) {
        return await(file.authenticateToken(token, List.of()));
    }

    private static UserInfo user(String name, String uid, String... groups) {
        return new UserInfo(name, uid, List.of(groups), Map.of());
    }

    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("three columns", "tok,alice,uid-1\n", "tok", user("alice", "uid-1")),
                Arguments.of(
                        "quoted group list", "tok,bob,uid-2,\"dev,ops\"\n", "tok", user("bob", "uid-2", "dev", "ops")),
                Arguments.of("single unquoted group", "tok,bob,uid-2,dev", "tok", user("bob", "uid-2", "dev")),
                Arguments.of("empty fourth column is one empty group", "tok,bob,u,\n", "tok", user("bob", "u", "")),
                Arguments.of("white space is data", "tok, bob ,u,\" a, b\"\n", "tok", user(" bob ", "u", " a", " b")),
                Arguments.of(
                        "columns after the fourth ignored", "tok,bob,u,g,extra,more\n", "tok", user("bob", "u", "g")),
                Arguments.of(
                        "doubled quotes in a quoted field",
                        "tok,\"the \"\"boss\"\"\",u\n",
                        "tok",
                        user("the \"boss\"", "u")),
                Arguments.of("quoted field over two lines", "tok,\"multi\nline\",u\n", "tok", user("multi\nline", "u")),
                Arguments.of("CRLF and blank lines", "\r\n\r\ntok,alice,u\r\n\r\n", "tok", user("alice", "u")),
                Arguments.of("trailing CR at end of input", "tok,alice,u\r", "tok", user("alice", "u")),
                Arguments.of("duplicate: last wins", "tok,first,1\ntok,second,2\n", "tok", user("second", "2")),
                Arguments.of("empty user and uid allowed", "tok,,\n", "tok", user("", "")),
                Arguments.of("lookup is exact", "Tok,alice,u\n", "tok", null),
                Arguments.of("empty token skipped", ",ghost,u\n", "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void parsesRecordsAsGoCsvDoes(String name, String content, String token, UserInfo expected) {
        AuthenticationResult result = lookup(parse(content), token);
        assertEquals(
                expected == null ? AuthenticationResult.NOT_MINE : new AuthenticationResult.Authenticated(expected),
                result);
    }

    static Stream<Arguments> startupErrors() {
        return Stream.of(
                Arguments.of(
                        "two columns",
                        "tok,alice\n",
                        "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2"),
                Arguments.of(
                        "one column after good records",
                        "a,b,c\nlonely\n",
                        "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 1"),
                Arguments.of(
                        "white-space-only line is a record",
                        "a,b,c\n  \n",
                        "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 1"),
                Arguments.of(
                        "bare quote", "tok\"x,a,b\n", "parse error on line 1, column 4: bare \" in non-quoted-field"),
                Arguments.of(
                        "bare quote in later field",
                        "a,b,c\nt,us\"er,u\n",
                        "parse error on line 2, column 5: bare \" in non-quoted-field"),
                Arguments.of(
                        "text after closing quote",
                        "\"tok\"x,a,b\n",
                        "parse error on line 1, column 5: extraneous or missing \" in quoted-field"),
                Arguments.of(
                        "unterminated quote",
                        "\"tok,a,b\n",
                        "parse error on line 1, column 10: extraneous or missing \" in quoted-field"),
                Arguments.of(
                        "unterminated quote over lines",
                        "t,\"a\nb,c\n",
                        "record on line 1; parse error on line 2, column 5: extraneous or missing \" in quoted-field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startupErrors")
    void rejectsAtStartupWithUpstreamText(String name, String content, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(content));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void warnsAboutEmptyAndDuplicateTokensWithRecordNumbers() {
        TokenFileAuthenticator file = parse("a,b,c\n,x,y\na,d,e\n");
        assertEquals(
                List.of(
                        "empty token has been found in token file '/etc/tokens.csv', record number '2'",
                        "duplicate token has been found in token file '/etc/tokens.csv', record number '3'"),
                file.warnings());
        assertEquals(1, file.size());
    }

    @Test
    void loadsFromDisk(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens.csv");
        Files.writeString(file, "secret,admin,1,system:masters\n");
        AuthenticationResult result = lookup(TokenFileAuthenticator.load(file), "secret");
        assertEquals(new AuthenticationResult.Authenticated(user("admin", "1", "system:masters")), result);
    }

    @Test
    void missingFileIsAStartupError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.csv");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> TokenFileAuthenticator.load(missing));
        assertEquals("open " + missing + ": no such file or directory", e.getMessage());
    }
}
