package io.kubetwin.apiserver.admission;

import io.vertx.core.Future;
import java.util.List;

/**
 * Plugins run in order; the first rejection stops the phase, as in
 * k8s.io/apiserver/pkg/admission/chain.go.
 */
public final class PluginChain implements AdmissionChain {
    private final List<AdmissionPlugin> plugins;

    public PluginChain(List<AdmissionPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    public static PluginChain of(AdmissionPlugin... plugins) {
        return new PluginChain(List.of(plugins));
    }

    public List<AdmissionPlugin> plugins() {
        return plugins;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes attributes) {
        return run(attributes, true);
    }

    @Override
    public Future<Void> validate(AdmissionAttributes attributes) {
        return run(attributes, false);
    }

    private Future<Void> run(AdmissionAttributes attributes, boolean mutating) {
        Future<Void> result = Future.succeededFuture();
        for (AdmissionPlugin plugin : plugins) {
            if (!plugin.handles(attributes.operation())) {
                continue;
            }
            result = result.compose(v -> mutating ? plugin.admit(attributes) : plugin.validate(attributes));
        }
        return result;
    }
}
