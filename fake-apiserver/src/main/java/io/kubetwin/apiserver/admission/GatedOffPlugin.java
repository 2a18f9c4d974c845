package io.kubetwin.apiserver.admission;

/**
 * A plugin that is on by default but acts only behind a feature gate that is off in v1.34 (PodTopologyLabels
 * behind PodTopologyLabelsAdmission, MutatingAdmissionPolicy behind MutatingAdmissionPolicy, whose kinds the
 * reference does not serve either), so by default it does nothing; so here.
 *
 * @param name the plugin's upstream name
 * @param featureGate the gate that would switch it on
 */
public record GatedOffPlugin(String name, String featureGate) implements AdmissionPlugin {

    @Override
    public boolean handles(Operation operation) {
        return false;
    }
}
