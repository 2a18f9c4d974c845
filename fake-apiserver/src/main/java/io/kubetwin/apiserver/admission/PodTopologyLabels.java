package io.kubetwin.apiserver.admission;

/**
 * The PodTopologyLabels plugin (plugin/pkg/admission/podtopologylabels/admission.go), on by default: it
 * copies a node's topology labels onto pods bound to it, but only with the PodTopologyLabelsAdmission
 * feature gate, alpha and off in v1.34, so by default it does nothing; so here.
 */
public final class PodTopologyLabels implements AdmissionPlugin {

    @Override
    public String name() {
        return "PodTopologyLabels";
    }

    @Override
    public boolean handles(Operation operation) {
        return false;
    }
}
