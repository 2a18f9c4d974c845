package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cel.runtime.CelEvaluationException;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Expecting;
import io.kubetwin.auth.authz.Decision;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Expressions and their values, and compile errors with the texts kube-apiserver v1.34.4 answered for the
 * same expressions (recorded from the reference when a policy holding them was created).
 */
class PolicyCelTest {
    private static final PolicyCel CEL = new PolicyCel();
    private static final String OBJECT = """
            {"metadata":{"name":"web-1","labels":{"app":"web"}},
             "data":{"a":"1","limit":"250m"},"spec":{"n":[3,1,2],"s":["a","b","c"],"f":[1.5,2.5]}}""";

    static String eval(String expression) throws Exception {
        Compiled c = CEL.compile(expression, Expecting.ANY, true, PolicyCel.Variables.NONE);
        if (c instanceof Compiled.Error e) {
            return "ERROR " + e.message();
        }
        Map<String, Object> input = new HashMap<>(PolicyInput.of(
                new io.kubetwin.apiserver.admission.AdmissionAttributes(
                        io.kubetwin.apiserver.admission.Operation.CREATE,
                        (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(OBJECT),
                        null,
                        "",
                        "v1",
                        "ConfigMap",
                        "",
                        "configmaps",
                        "",
                        "default",
                        "web-1",
                        io.kubetwin.auth.attributes.UserInfo.of("alice", "dev"),
                        false),
                null,
                attributes ->
                        attributes.verb().equals("get") && attributes.resource().equals("pods")
                                ? new Decision.Allow("RBAC: allowed")
                                : new Decision.NoOpinion("")));
        input.put("variables", Map.of());
        try {
            return String.valueOf(((Compiled.Program) c).program().eval(input));
        } catch (CelEvaluationException e) {
            return "EVAL " + PolicyEvaluator.goText(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            object.metadata.name.startsWith('web')              | true
            object.spec.n.isSorted()                            | false
            object.spec.s.isSorted()                            | true
            object.spec.n.sum()                                 | 6
            object.spec.f.sum()                                 | 4.0
            object.spec.n.min()                                 | 1
            object.spec.n.max()                                 | 3
            object.spec.n.indexOf(2)                            | 2
            [1, 2, 1].lastIndexOf(1)                            | 2
            [1, 2, 1].indexOf(5)                                | -1
            [].min()                                            | EVAL min called on empty list
            'abc 123 def 456'.find('[0-9]+')                    | 123
            'abc 123 def 456'.findAll('[0-9]+')                 | [123, 456]
            'abc 123 def 456'.findAll('[0-9]+', 1)              | [123]
            'abc'.find('x')                                     | ``
            quantity('1Gi').isGreaterThan(quantity('1G'))       | true
            quantity(object.data.limit).compareTo(quantity('0.25')) | 0
            quantity('1.5').isInteger()                         | false
            quantity('2k').asInteger()                          | 2000
            isQuantity('1Zi')                                   | false
            quantity('10Mi').sub(quantity('9Mi')).asInteger()   | 1048576
            'a,b'.split(',')                                    | [a, b]
            'xaby'.matches('ab')                                | true
            'abc'.matches('^b')                                 | false
            'Hello'.lowerAscii()                                | hello
            sets.contains([1, 2, 3], [2])                       | true
            object.?spec.?missing.orValue('none')               | none
            object.metadata.labels.all(k, k == 'app')           | true
            request.userInfo.username + '/' + request.operation | alice/CREATE
            object.data.missing                                 | EVAL no such key: missing
            authorizer.group('').resource('pods').check('get').allowed() | true
            authorizer.group('').resource('pods').namespace('x').name('y').check('delete').allowed() | false
            authorizer.group('').resource('pods').check('get').reason() | RBAC: allowed
            authorizer.path('/healthz').check('get').errored()  | false
            ip('10.1.2.3').family()                             | 4
            ip('::1').isLoopback()                              | true
            isIP('1.2.3')                                       | false
            isIP('::ffff:1.2.3.4')                              | false
            ip('fe80::1').isLinkLocalUnicast()                  | true
            ip('8.8.8.8').isGlobalUnicast()                     | true
            string(ip('2001:db8:0:0::1'))                       | 2001:db8::1
            cidr('10.0.0.0/8').containsIP('10.255.0.1')         | true
            cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))       | false
            cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')      | true
            cidr('10.0.0.0/16').containsCIDR('10.0.0.0/8')      | false
            string(cidr('192.168.1.77/24').masked())            | 192.168.1.0/24
            cidr('2001:db8::/32').prefixLength()                | 32
            isCIDR('10.0.0.0/33')                               | false
            url('https://user@example.com:8443/a%20b?x=1&x=2&y').getHost() | example.com:8443
            url('https://[::1]:80/').getHostname()              | ::1
            url('https://example.com:8443/').getPort()          | 8443
            url('https://example.com/a%20b').getEscapedPath()   | /a%20b
            url('https://example.com/?x=1&x=2&y').getQuery()    | {x=[1, 2], y=[]}
            url('/just/a/path').getScheme()                     | ``
            isURL('relative/path')                              | false
            """)
    void evaluates(String expression, String expected) throws Exception {
        assertEquals(expected, eval(expression));
    }

    /** cel-go's texts, as the reference printed them in spec.validations[i].expression errors. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            `object.metadata.name ==` | `compilation failed: ERROR: <input>:1:24: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}\\n | object.metadata.name ==\\n | .......................^`
            `undefinedVar > 1` | `compilation failed: ERROR: <input>:1:1: undeclared reference to 'undefinedVar' (in container '')\\n | undefinedVar > 1\\n | ^`
            `object.metadata.name.foo(1)` | `compilation failed: ERROR: <input>:1:25: undeclared reference to 'foo' (in container '')\\n | object.metadata.name.foo(1)\\n | ........................^`
            `1 + 'a'` | `compilation failed: ERROR: <input>:1:3: found no matching overload for '_+_' applied to '(int, string)'\\n | 1 + 'a'\\n | ..^`
            `'abc'` | must evaluate to bool but got string
            `params == null` | `compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\\n | params == null\\n | ^`
            """)
    void compileErrorsAsTheReference(String expression, String expected) {
        Compiled c = CEL.compile(
                expression,
                expression.contains("params") ? Expecting.ANY : Expecting.BOOL,
                false,
                PolicyCel.Variables.NONE);
        assertEquals(expected.replace("\\n", "\n"), ((Compiled.Error) c).message());
    }
}
