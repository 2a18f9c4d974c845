package io.kubetwin.apiserver.admission;

import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.attrs;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.create;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.outcome;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DefaultTolerationSeconds: which tolerations a pod gets, as defaulttolerationseconds/admission.go decides. */
class DefaultTolerationSecondsTest {
    static final String NOT_READY =
            "{\"key\":\"node.kubernetes.io/not-ready\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}";
    static final String UNREACHABLE =
            "{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":300}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            none | {} | [$NR,$UR]
            others kept first | {"tolerations":[{"key":"a","operator":"Equal","value":"b","effect":"NoSchedule"}]} | [{"key":"a","operator":"Equal","value":"b","effect":"NoSchedule"},$NR,$UR]
            own not-ready | {"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10}]} | [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":10},$UR]
            not-ready without effect | {"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists"}]} | [{"key":"node.kubernetes.io/not-ready","operator":"Exists"},$UR]
            not-ready NoSchedule does not count | {"tolerations":[{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"}]} | [{"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"},$NR,$UR]
            empty key NoExecute | {"tolerations":[{"operator":"Exists","effect":"NoExecute"}]} | [{"operator":"Exists","effect":"NoExecute"}]
            tolerate everything | {"tolerations":[{"operator":"Exists"}]} | [{"operator":"Exists"}]
            operator is not looked at | {"tolerations":[{"key":"node.kubernetes.io/unreachable","operator":"Equal","value":"x","effect":"NoExecute"}]} | [{"key":"node.kubernetes.io/unreachable","operator":"Equal","value":"x","effect":"NoExecute"},$NR]
            null list | {"tolerations":null} | [$NR,$UR]
            """)
    void addsTheMissingTolerations(String what, String spec, String expected) {
        ObjectNode pod = pod(spec);
        assertEquals("-", outcome(DefaultTolerationSeconds.withDefaults().admit(create(pod))));
        assertEquals(
                expected.replace("$NR", NOT_READY).replace("$UR", UNREACHABLE),
                pod.at("/spec/tolerations").toString());
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource(delimiter = '|', textBlock = """
            pods | status | false
            configmaps | '' | false
            pods | '' | true
            """)
    void onlyPodsProper(String resource, String subresource, boolean changed) {
        ObjectNode pod = pod("{}");
        DefaultTolerationSeconds.withDefaults().admit(attrs(Operation.UPDATE, resource, subresource, pod, pod("{}")));
        assertEquals(changed, pod.at("/spec/tolerations").size() == 2);
    }

    @ParameterizedTest(name = "{0}s and {1}s")
    @CsvSource({"300, 300", "60, 5"})
    void secondsAreConfigurable(long notReady, long unreachable) {
        ObjectNode pod = pod("{}");
        new DefaultTolerationSeconds(notReady, unreachable).admit(create(pod));
        assertEquals(notReady, pod.at("/spec/tolerations/0/tolerationSeconds").asLong());
        assertEquals(
                unreachable, pod.at("/spec/tolerations/1/tolerationSeconds").asLong());
    }
}
