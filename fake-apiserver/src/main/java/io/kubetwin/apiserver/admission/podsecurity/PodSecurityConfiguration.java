package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The plugin's configuration (PodSecurityConfiguration, pod-security.admission.config.k8s.io/v1, v1beta1 or
 * v1alpha1, from the AdmissionConfiguration): the default policy of namespaces without labels (privileged and
 * latest for whatever is left out, as v1/defaults.go sets) and the exempt usernames, namespaces and runtime
 * classes. Checked as admission/api/validation/validation.go checks it; errors stop the server at start-up.
 */
public record PodSecurityConfiguration(
        NamespacePolicy defaults, List<String> usernames, List<String> namespaces, List<String> runtimeClasses) {

    public static final PodSecurityConfiguration DEFAULT =
            new PodSecurityConfiguration(NamespacePolicy.PRIVILEGED, List.of(), List.of(), List.of());

    private static final String GROUP = "pod-security.admission.config.k8s.io/";
    private static final Set<String> API_VERSIONS = Set.of(GROUP + "v1", GROUP + "v1beta1", GROUP + "v1alpha1");

    public PodSecurityConfiguration {
        usernames = List.copyOf(usernames);
        namespaces = List.copyOf(namespaces);
        runtimeClasses = List.copyOf(runtimeClasses);
    }

    /** The configuration the AdmissionConfiguration gives the plugin, or the defaults when it gives none. */
    public static PodSecurityConfiguration parse(Optional<JsonNode> configuration) {
        if (configuration.isEmpty()) {
            return DEFAULT;
        }
        JsonNode c = configuration.get();
        String apiVersion = c.path("apiVersion").asText("");
        String kind = c.path("kind").asText("");
        if (!API_VERSIONS.contains(apiVersion) || !"PodSecurityConfiguration".equals(kind)) {
            throw new IllegalArgumentException("PodSecurity: expected PodSecurityConfiguration (apiVersion " + GROUP
                    + "v1), got apiVersion \"" + apiVersion + "\", kind \"" + kind + "\"");
        }
        JsonNode d = c.path("defaults");
        List<FieldError> errs = new ArrayList<>();
        LevelVersion enforce = levelVersion(d, "enforce", errs);
        LevelVersion warn = levelVersion(d, "warn", errs);
        LevelVersion audit = levelVersion(d, "audit", errs);
        JsonNode e = c.path("exemptions");
        List<String> namespaces = names(e, "namespaces", errs, ns -> {
            List<String> problems = Names.isDns1123Label(ns);
            return problems.isEmpty() ? null : String.join(", ", problems);
        });
        List<String> runtimeClasses = names(e, "runtimeClasses", errs, rc -> {
            List<String> problems = Names.isDns1123Subdomain(rc);
            return problems.isEmpty() ? null : String.join(", ", problems);
        });
        List<String> usernames = names(e, "usernames", errs, u -> u.isEmpty() ? "username must not be empty" : null);
        if (!errs.isEmpty()) {
            List<String> texts = errs.stream().map(FieldError::toString).toList();
            throw new IllegalArgumentException("PodSecurity invalid: "
                    + (texts.size() == 1 ? texts.get(0) : "[" + String.join(", ", texts) + "]"));
        }
        return new PodSecurityConfiguration(
                new NamespacePolicy(enforce, audit, warn), usernames, namespaces, runtimeClasses);
    }

    private static LevelVersion levelVersion(JsonNode defaults, String mode, List<FieldError> errs) {
        String level = defaults.path(mode).asText("");
        String version = defaults.path(mode + "-version").asText("");
        Optional<Level> l = Level.parse(level.isEmpty() ? "privileged" : level);
        if (l.isEmpty()) {
            errs.add(FieldError.invalid("defaults." + mode, level, Level.INVALID));
        }
        Optional<PolicyVersion> v = PolicyVersion.parse(version.isEmpty() ? "latest" : version);
        if (v.isEmpty()) {
            errs.add(FieldError.invalid("defaults." + mode + "-version", version, PolicyVersion.INVALID));
        }
        return new LevelVersion(l.orElse(Level.PRIVILEGED), v.orElse(PolicyVersion.LATEST));
    }

    /** A list of names, each checked by {@code problem} (null when valid) and for duplicates. */
    private static List<String> names(
            JsonNode exemptions, String field, List<FieldError> errs, Function<String, String> problem) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (JsonNode n : exemptions.path(field)) {
            String name = n.asText("");
            String path = "exemptions." + field + "[" + i++ + "]";
            String p = problem.apply(name);
            if (p != null) {
                errs.add(FieldError.invalid(path, name, p));
            } else if (!seen.add(name)) {
                errs.add(FieldError.duplicate(path, name));
            } else {
                out.add(name);
            }
        }
        return out;
    }

    boolean exemptUser(String name) {
        return !name.isEmpty() && usernames.contains(name);
    }

    boolean exemptNamespace(String name) {
        return !name.isEmpty() && namespaces.contains(name);
    }

    boolean exemptRuntimeClass(String name) {
        return name != null && !name.isEmpty() && runtimeClasses.contains(name);
    }
}
