package io.kubetwin.apiserver.admission;

/** Builds one upstream plugin (upstream's admission.Factory), from what its context offers. */
@FunctionalInterface
public interface AdmissionPluginFactory {
    AdmissionPlugin create(AdmissionPluginContext context);
}
