package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Expecting;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tracked runtime cost of expressions against cel-go v0.26.0's ActualCost for the same expressions and object
 * (a Go program with cel.OptTrackCost and PresenceTestHasCost(false), as k8s.io/apiserver's base environment sets
 * them; object dyn).
 */
class CelCostTest {
    private static final PolicyCel CEL = new PolicyCel();
    private static final String OBJECT = """
            {"metadata":{"name":"abcdefghij-0123456789","labels":{"a":"b","c":"d"}},
             "data":{"k1":"v1","k2":"a much longer value of forty characters.."}}""";

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            object.metadata.name == 'x'                                                   | 4
            object.data.all(k, object.data[k].size() > 0)                                 | 19
            object.metadata.name.startsWith('abc') && object.data.k2.contains('forty')   | 14
            [1,2,3].map(x, x * 2).size() == 3                                             | 45
            object.metadata.name.matches('^[a-z]+-[0-9]+$')                               | 15
            'a' + object.metadata.name + 'b' == 'x'                                       | 10
            has(object.metadata.labels) && 'a' in object.metadata.labels                  | 6
            object.data.exists(k, k == 'k2')                                              | 15
            [0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, b >= 0))            | 541
            object.metadata.labels.a == 'b' ? 1 : 2                                       | 5
            {'a': 1}.a == 1                                                               | 3
            size(object.data) + 1 > 2                                                     | 5
            object.data.all(k, true)                                                      | 9
            object.data.all(k, k == 'x')                                                  | 10
            [].all(k, true)                                                               | 1
            object.data.exists(k, true)                                                   | 10
            object.data.map(k, k)                                                         | 29
            [1,2][0] == 1                                                                 | 3
            object.data['k1']                                                             | 3
            object.data.k1.size() > 0                                                     | 5
            """)
    void costsAsCelGo(String expression, long cost) throws Exception {
        Compiled c = CEL.compile(expression, Expecting.ANY, false, PolicyCel.Variables.NONE);
        Map<String, Object> vars = Map.of("object", CelValues.of(new ObjectMapper().readTree(OBJECT)));
        CelCost.Evaluation e = CelCost.evaluate(((Compiled.Program) c).program(), vars);
        assertEquals(null, e.error());
        assertEquals(cost, e.cost());
    }
}
