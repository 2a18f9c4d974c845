package io.kubetwin.apiserver.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The name a list or watch is authorized and audited as, taken from its field selector as requestinfo.go takes it:
 * only from a selector fields.ParseSelector reads, only an exact metadata.name match, only a valid path segment.
 */
class RequestInfoResolverTest {
    private final RequestInfoResolver resolver = new RequestInfoResolver();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            metadata.name=a                     # a
            metadata.name==a                    # a
            status.phase=Running,metadata.name=b # b
            metadata.name!=a                    # ``
            metadata.name==a==b                 # ``
            metadata.name=a\\,b                  # a,b
            metadata.name=..                    # ``
            metadata.name=a%b                   # ``
            metadata.name                       # ``
            """)
    void aListIsNamedByItsFieldSelector(String selector, String name) {
        RequestInfo info = resolver.resolve(
                "GET", "/api/v1/namespaces/default/configmaps", Map.of("fieldSelector", selector.strip()));
        assertEquals("list", info.verb());
        assertEquals(name == null ? "" : name, info.name());
    }
}
