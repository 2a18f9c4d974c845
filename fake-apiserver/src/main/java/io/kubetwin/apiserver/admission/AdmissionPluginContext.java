package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.policy.PolicyCel;
import io.kubetwin.apiserver.features.FeatureGates;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.auth.authz.Authorizer;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * What a plugin may be built from (upstream's plugin initializers: clients and informers, the authorizer,
 * the plugin's own configuration from the admission config file).
 *
 * @param storage the store, read (and watched) directly, as upstream's informers read their cache
 * @param catalog the served resources (kinds, scopes, subresources), for matching rules to requests
 * @param configFile the parsed {@code --admission-control-config-file}
 * @param cel the CEL environment of admission expressions, shared by ValidatingAdmissionPolicy and the webhooks'
 *     matchConditions (one per server: compiled programs are cached in it)
 * @param featureGates the gates at the emulated release (upstream's WantsFeatures initializer)
 */
public record AdmissionPluginContext(
        Vertx vertx,
        Storage storage,
        ResourceCatalog catalog,
        Authorizer authorizer,
        Clock clock,
        AdmissionConfigFile configFile,
        PolicyCel cel,
        FeatureGates featureGates) {

    /** The named plugin's configuration from the admission config file, if any. */
    public Optional<JsonNode> configuration(String plugin) {
        return configFile.configuration(plugin);
    }
}
