package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.storage.Storage;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PodNodeSelector plugin (plugin/pkg/admission/podnodeselector/admission.go): a new pod's node selector is
 * merged with its namespace's ({@code scheduler.alpha.kubernetes.io/node-selector}, else the configuration's
 * {@code clusterDefaultNodeSelector}); a conflicting value is refused, and so is a selector outside the
 * configuration's whitelist for the namespace ({@code podNodeSelectorPluginConfig: {ns: "k=v,..."}}).
 */
public final class PodNodeSelector implements AdmissionPlugin {
    static final String ANNOTATION = "scheduler.alpha.kubernetes.io/node-selector";

    private final Storage storage;
    private final Map<String, String> clusterSelectors;

    /** @param configuration the plugin's configuration from the admission config file, or null */
    public PodNodeSelector(Storage storage, JsonNode configuration) {
        this.storage = storage;
        Map<String, String> selectors = new HashMap<>();
        if (configuration != null) {
            configuration
                    .path("podNodeSelectorPluginConfig")
                    .fields()
                    .forEachRemaining(
                            e -> selectors.put(e.getKey(), e.getValue().asText("")));
        }
        this.clusterSelectors = Map.copyOf(selectors);
    }

    @Override
    public String name() {
        return "PodNodeSelector";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE;
    }

    private static boolean ignored(AdmissionAttributes a) {
        return !a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        return namespaceSelector(a.namespace()).compose(ns -> {
            Map<String, String> pod = podSelector(a.object());
            if (conflicts(ns, pod)) {
                return Future.failedFuture(conflict(a));
            }
            // a Go map: written sorted by key
            Map<String, String> merged = new TreeMap<>(ns);
            merged.putAll(pod);
            ObjectNode spec = (ObjectNode) a.object().path("spec");
            ObjectNode selector = spec.putObject("nodeSelector");
            merged.forEach(selector::put);
            return validate(a);
        });
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (ignored(a)) {
            return Future.succeededFuture();
        }
        return namespaceSelector(a.namespace()).compose(ns -> {
            Map<String, String> pod = podSelector(a.object());
            if (conflicts(ns, pod)) {
                return Future.failedFuture(conflict(a));
            }
            Map<String, String> whitelist;
            try {
                whitelist = parse(clusterSelectors.getOrDefault(a.namespace(), ""));
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(internal(e.getMessage()));
            }
            if (!whitelist.isEmpty()) {
                for (var e : pod.entrySet()) {
                    if (!e.getValue().equals(whitelist.get(e.getKey()))) {
                        return Future.failedFuture(Statuses.forbiddenWithDetail(
                                "",
                                "pods",
                                podName(a),
                                "pod node label selector labels conflict with its namespace " + "whitelist"));
                    }
                }
            }
            return Future.succeededFuture();
        });
    }

    private static String podName(AdmissionAttributes a) {
        return a.object().path("metadata").path("name").asText("");
    }

    /** errors.NewForbidden with the pod's own name. */
    private static StatusException conflict(AdmissionAttributes a) {
        return Statuses.forbiddenWithDetail(
                "", "pods", podName(a), "pod node label selector conflicts with its namespace node label selector");
    }

    private static StatusException internal(String message) {
        return new StatusException(Status.failure(500, "", message, null));
    }

    private static Map<String, String> podSelector(JsonNode pod) {
        Map<String, String> out = new LinkedHashMap<>();
        pod.path("spec")
                .path("nodeSelector")
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** labels.Conflicts: a key both have with different values. */
    private static boolean conflicts(Map<String, String> a, Map<String, String> b) {
        return a.entrySet().stream()
                .anyMatch(e -> b.containsKey(e.getKey()) && !b.get(e.getKey()).equals(e.getValue()));
    }

    /** getNamespaceNodeSelectorMap: the annotation, else the cluster default; a missing namespace is an error. */
    private Future<Map<String, String>> namespaceSelector(String namespace) {
        return storage.get(NamespaceExists.NAMESPACES.object("", namespace))
                .recover(e -> Future.failedFuture(Statuses.internalError("namespace " + namespace + " does not exist")))
                .compose(ns -> {
                    JsonNode annotation =
                            ns.path("metadata").path("annotations").get(ANNOTATION);
                    try {
                        return Future.succeededFuture(parse(
                                annotation != null
                                        ? annotation.asText()
                                        : clusterSelectors.getOrDefault("clusterDefaultNodeSelector", "")));
                    } catch (IllegalArgumentException e) {
                        return Future.failedFuture(internal(e.getMessage()));
                    }
                });
    }

    /** labels.ConvertSelectorToLabelsMap: "k=v,k2=v2" (also "k==v"); anything else is invalid. */
    static Map<String, String> parse(String selector) {
        Map<String, String> out = new LinkedHashMap<>();
        if (selector.isBlank()) {
            return out;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            String[] kv = t.contains("==") ? t.split("==", -1) : t.split("=", -1);
            if (kv.length != 2 || kv[0].trim().isEmpty()) {
                throw new IllegalArgumentException("invalid selector: " + selector);
            }
            out.put(kv[0].trim(), kv[1].trim());
        }
        return out;
    }
}
