package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parsing and ordering of goautoneg and the choices of NegotiateMediaTypeOptions and go-restful. */
class MediaNegotiationTest {
    private static final MediaNegotiation.Restrictions TABLES = (type, subType, target) ->
            target == null || (target.kind().equals("Table") && target.group().equals("meta.k8s.io"));

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                                     | application/json",
                "application/json                                       | application/json",
                "application/yaml                                       | application/yaml",
                "application/*                                          | application/json",
                "*/*                                                    | application/json",
                "*                                                      | application/json",
                "text/plain, application/yaml                           | application/yaml",
                "application/yaml;q=0.5, application/json               | application/json",
                "application/json;q=0.5, application/json;as=Table;g=meta.k8s.io;v=v1 | application/json+Table",
                "application/json, application/json;as=Table;g=meta.k8s.io;v=v1       | application/json",
                "application/json;as=Foo;g=x;v=y                        | none",
                "application/json;as=Foo, */*                           | application/json",
                "application/xml                                        | none",
                "application/yaml;stream=watch                          | none",
                "application/json;stream=watch                          | application/json",
                "application/json;stream=other                          | none",
                "application/json;q=abc                                 | application/json",
                "application                                            | none",
                "application/json/x                                     | none",
                "application/vnd.kubernetes.protobuf                    | application/vnd.kubernetes.protobuf"
            })
    void negotiates(String accept, String expected) {
        Optional<MediaNegotiation.Outcome> outcome = MediaNegotiation.negotiate(accept, TABLES);
        String got = outcome.map(o -> o.mediaType()
                        + (o.target() == null ? "" : "+" + o.target().kind()))
                .orElse("none");
        assertEquals(expected, got);
    }

    @ParameterizedTest(name = "[{0}] matches: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                                  | true",
                "*/*                                 | true",
                "application/*                       | false",
                "application/json;as=Table           | true",
                " text/html , application/yaml       | true",
                "application/xml, text/html          | false",
                "application/json;stream=watch       | true"
            })
    void goRestfulMatchesWholeMediaTypesOnly(String accept, boolean matches) {
        assertEquals(matches, RestfulRoutes.matchesAccept(accept, RestfulRoutes.OBJECT));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(
            delimiter = '|',
            value = {
                // quality first, then a concrete type and subtype before a wildcard, else header order
                "*/*, application/json, text/*   | application/json,text/*,*/*",
                "a/b;q=0.1, c/d                  | c/d,a/b",
                "a/b, c/d                        | a/b,c/d"
            })
    void ordersClausesAsGoautoneg(String header, String order) {
        List<String> got = AcceptClauses.parse(header).stream()
                .map(c -> c.type() + "/" + c.subType())
                .toList();
        assertEquals(List.of(order.split(",")), got);
    }

    @Test
    void theTwoNotAcceptableTexts() {
        StatusException handler = MediaNegotiation.notAcceptable(MediaNegotiation.SERVER_MEDIA_TYPES);
        assertEquals(
                "only the following media types are accepted: application/json, application/yaml, "
                        + "application/vnd.kubernetes.protobuf",
                handler.status().message());
        assertEquals(null, handler.status().details());
        StatusException route = null;
        try {
            RestfulRoutes.checkAccept("text/html", List.of("application/jwk-set+json"));
        } catch (StatusException e) {
            route = e;
        }
        assertTrue(route != null);
        assertEquals(
                "406: Not Acceptable\n\nAvailable representations: application/jwk-set+json",
                route.status().message());
        assertFalse(route.status().details() == null);
    }
}
