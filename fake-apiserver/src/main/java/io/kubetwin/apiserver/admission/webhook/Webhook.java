package io.kubetwin.apiserver.admission.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.policy.MatchConditions;
import io.kubetwin.apiserver.authz.rbac.LabelSelector;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One webhook of a stored Mutating- or ValidatingWebhookConfiguration (admissionregistration.k8s.io/v1), read
 * typed once so the dispatchers never walk JSON (upstream's webhook.WebhookAccessor,
 * k8s.io/apiserver/pkg/admission/plugin/webhook/accessors.go). Defaults are the registry's (failurePolicy Fail,
 * matchPolicy Equivalent, timeoutSeconds 10, reinvocationPolicy Never), applied again here for objects written
 * before defaulting.
 *
 * @param uid {@code <configuration>/<webhook>/<index>}, unique across configurations (the reinvocation key)
 * @param configuration the configuration's name
 * @param sideEffects None, NoneOnDryRun, Some or Unknown ("" when absent)
 * @param matchConditions the CEL match conditions, in order
 */
public record Webhook(
        String uid,
        String configuration,
        String name,
        boolean mutating,
        ClientConfig clientConfig,
        List<Rule> rules,
        boolean failOpen,
        boolean matchEquivalent,
        LabelSelector namespaceSelector,
        LabelSelector objectSelector,
        String sideEffects,
        int timeoutSeconds,
        List<String> admissionReviewVersions,
        boolean reinvokeIfNeeded,
        List<MatchConditions.Condition> matchConditions) {

    /**
     * Where the webhook is served: {@code url}, or a Service (namespace, name, path, port).
     *
     * @param caBundle PEM bytes; empty means the system's trust roots, as upstream
     */
    public record ClientConfig(
            String url,
            String serviceNamespace,
            String serviceName,
            String servicePath,
            int servicePort,
            byte[] caBundle) {
        public boolean isService() {
            return url.isEmpty() && !serviceName.isEmpty();
        }
    }

    /** admissionregistration/v1 RuleWithOperations. */
    public record Rule(
            List<String> operations,
            List<String> apiGroups,
            List<String> apiVersions,
            List<String> resources,
            String scope) {}

    /** The webhooks of one configuration object, in their order. */
    public static List<Webhook> fromConfiguration(JsonNode configuration, boolean mutating) {
        String configName = configuration.path("metadata").path("name").asText("");
        List<Webhook> hooks = new ArrayList<>();
        JsonNode list = configuration.path("webhooks");
        for (int i = 0; i < list.size(); i++) {
            JsonNode h = list.get(i);
            String name = h.path("name").asText("");
            hooks.add(new Webhook(
                    configName + "/" + name + "/" + i,
                    configName,
                    name,
                    mutating,
                    clientConfig(h.path("clientConfig")),
                    rules(h.path("rules")),
                    "Ignore".equals(h.path("failurePolicy").asText("Fail")),
                    !"Exact".equals(h.path("matchPolicy").asText("Equivalent")),
                    LabelSelector.fromJson(h.path("namespaceSelector")),
                    LabelSelector.fromJson(h.path("objectSelector")),
                    h.path("sideEffects").asText(""),
                    h.path("timeoutSeconds").asInt(10),
                    strings(h.path("admissionReviewVersions")),
                    mutating && "IfNeeded".equals(h.path("reinvocationPolicy").asText("Never")),
                    matchConditions(h.path("matchConditions"))));
        }
        return hooks;
    }

    private static ClientConfig clientConfig(JsonNode c) {
        JsonNode s = c.path("service");
        String ca = c.path("caBundle").asText("");
        byte[] bundle;
        try {
            bundle = Base64.getDecoder().decode(ca);
        } catch (IllegalArgumentException e) {
            bundle = new byte[0];
        }
        return new ClientConfig(
                c.path("url").asText(""),
                s.path("namespace").asText(""),
                s.path("name").asText(""),
                s.path("path").asText(""),
                s.path("port").asInt(443),
                bundle);
    }

    private static List<Rule> rules(JsonNode list) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode r : list) {
            rules.add(new Rule(
                    strings(r.path("operations")),
                    strings(r.path("apiGroups")),
                    strings(r.path("apiVersions")),
                    strings(r.path("resources")),
                    r.path("scope").asText("*")));
        }
        return rules;
    }

    private static List<MatchConditions.Condition> matchConditions(JsonNode list) {
        List<MatchConditions.Condition> out = new ArrayList<>();
        list.forEach(c -> out.add(new MatchConditions.Condition(
                c.path("name").asText(""), c.path("expression").asText(""))));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
