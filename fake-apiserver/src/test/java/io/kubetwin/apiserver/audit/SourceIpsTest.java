package io.kubetwin.apiserver.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sourceIPs as util/net SourceIPs computes them, including the reference-recorded request 13-xff. */
class SourceIpsTest {
    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of(null, null, "127.0.0.1:5555", "127.0.0.1"),
                Arguments.of(null, null, "[::1]:5555", "::1"),
                Arguments.of(null, null, "0:0:0:0:0:0:0:1", "::1"),
                Arguments.of("8.8.8.8", null, "127.0.0.1:1", "8.8.8.8,127.0.0.1"),
                // recorded from the reference: request 13-xff
                Arguments.of(
                        "8.8.8.8, bogus , 010.0.0.1,::ffff:1.2.3.4",
                        "2001:db8:0:0:0:0:0:1",
                        "127.0.0.1:40000",
                        "8.8.8.8,10.0.0.1,1.2.3.4,2001:db8::1,127.0.0.1"),
                Arguments.of("1.1.1.1, 2.2.2.2", "2.2.2.2", "2.2.2.2:3", "1.1.1.1,2.2.2.2"),
                Arguments.of("1.1.1.1", "3.3.3.3", "1.1.1.1:3", "1.1.1.1,3.3.3.3,1.1.1.1"),
                Arguments.of(" 1.1.1.1 ", " 3.3.3.3", "10.0.0.1:1", "1.1.1.1,10.0.0.1"),
                Arguments.of("256.1.1.1,1.2.3,1.2.3.4.5,::1::2,fe80::1%eth0", null, "10.0.0.1:1", "10.0.0.1"),
                Arguments.of(
                        "2001:0db8:0000:0000:0001:0000:0000:0001", null, "10.0.0.1:1", "2001:db8::1:0:0:1,10.0.0.1"),
                Arguments.of(
                        "1:0:0:1:0:0:0:1,::ffff:0:1.2.3.4,a:b:c:d:e:f:1:2",
                        null,
                        "10.0.0.1:1",
                        "1:0:0:1::1,::ffff:0:102:304,a:b:c:d:e:f:1:2,10.0.0.1"),
                Arguments.of("1:2:3:4:5:6:7:0", null, "10.0.0.1:1", "1:2:3:4:5:6:7:0,10.0.0.1"),
                Arguments.of("::", null, "x", "::"));
    }

    @ParameterizedTest
    @MethodSource("rows")
    void likeUpstream(String xff, String realIp, String remote, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(","));
        assertEquals(want, SourceIps.of(xff, realIp, remote));
    }
}
