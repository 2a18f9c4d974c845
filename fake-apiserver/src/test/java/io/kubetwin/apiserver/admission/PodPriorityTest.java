package io.kubetwin.apiserver.admission;

import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.attrs;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.create;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.outcome;
import static io.kubetwin.apiserver.admission.PodAdmissionFixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Priority plugin's pod half (priority/admission.go), with the system classes the fake knows. */
class PodPriorityTest {
    static final PodPriority PLUGIN = new PodPriority(PodPriority.PriorityClasses.systemOnly());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no class | {} | {"priority":0,"preemptionPolicy":"PreemptLowerPriority"} | -
            system class | {"priorityClassName":"system-node-critical"} | {"priorityClassName":"system-node-critical","priority":2000001000,"preemptionPolicy":"PreemptLowerPriority"} | -
            the computed values may be given | {"priorityClassName":"system-cluster-critical","priority":2000000000,"preemptionPolicy":"PreemptLowerPriority"} | {"priorityClassName":"system-cluster-critical","priority":2000000000,"preemptionPolicy":"PreemptLowerPriority"} | -
            unknown class | {"priorityClassName":"gold"} | {"priorityClassName":"gold"} | 403 pods "p" is forbidden: no PriorityClass with name gold was found
            other priority | {"priority":5} | {"priority":5} | 403 pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name
            other preemption policy | {"priority":0,"preemptionPolicy":"Never"} | {"priority":0,"preemptionPolicy":"Never"} | 403 pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name
            """)
    void resolvesOnCreate(String what, String spec, String expected, String outcome) {
        ObjectNode pod = pod(spec);
        assertEquals(outcome, outcome(PLUGIN.admit(create(pod))));
        assertEquals(expected, pod.get("spec").toString());
    }

    @Test
    void aGlobalDefaultClassNamesItself() {
        PodPriority.PriorityClass low = new PodPriority.PriorityClass("low", -5, null, true);
        PodPriority plugin = new PodPriority(new PodPriority.PriorityClasses() {
            @Override
            public Future<Optional<PodPriority.PriorityClass>> find(String name) {
                return Future.succeededFuture(Optional.empty());
            }

            @Override
            public Future<Optional<PodPriority.PriorityClass>> globalDefault() {
                return Future.succeededFuture(Optional.of(low));
            }
        });
        ObjectNode pod = pod("{\"preemptionPolicy\":\"Never\"}");
        assertEquals("-", outcome(plugin.admit(create(pod))));
        // a class without a preemption policy leaves the pod's alone
        assertEquals(
                "{\"preemptionPolicy\":\"Never\",\"priorityClassName\":\"low\",\"priority\":-5}",
                pod.get("spec").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing values come from the stored pod | {} | {"priority":0,"preemptionPolicy":"PreemptLowerPriority"}
            given values stay for validation to judge | {"priority":7} | {"priority":7,"preemptionPolicy":"PreemptLowerPriority"}
            """)
    void keepsValuesOnUpdate(String what, String spec, String expected) {
        ObjectNode pod = pod(spec);
        ObjectNode old = pod("{\"priority\":0,\"preemptionPolicy\":\"PreemptLowerPriority\"}");
        assertEquals("-", outcome(PLUGIN.admit(attrs(Operation.UPDATE, "pods", "", pod, old))));
        assertEquals(expected, pod.get("spec").toString());
    }

    @Test
    void subresourcesAreIgnored() {
        ObjectNode pod = pod("{\"priority\":5}");
        assertEquals("-", outcome(PLUGIN.admit(attrs(Operation.CREATE, "pods", "binding", pod, null))));
        assertEquals("{\"priority\":5}", pod.get("spec").toString());
    }
}
