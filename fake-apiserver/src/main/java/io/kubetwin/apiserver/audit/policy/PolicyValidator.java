package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.apiserver.audit.event.Level;
import io.kubetwin.apiserver.audit.event.Stage;
import io.kubetwin.pki.GoText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Audit policy validation, in kube-apiserver's order and words: mirrors
 * k8s.io/apiserver/pkg/apis/audit/validation/validation.go (field errors formatted as
 * k8s.io/apimachinery/pkg/util/validation/field does, aggregated as pkg/util/errors does).
 * Pure and thread-safe.
 */
public final class PolicyValidator {
    private static final String STAGES =
            Arrays.stream(Stage.values()).map(Stage::wire).collect(Collectors.joining(","));
    private static final String LEVELS =
            Arrays.stream(Level.values()).map(l -> GoText.quote(l.wire())).collect(Collectors.joining(", "));
    private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
    private static final Pattern SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN + "$");

    private PolicyValidator() {}

    /**
     * The field errors of a policy built in Java, each as {@code <field>: <message>}; empty when valid.
     */
    public static List<String> validate(Policy policy) {
        return validate(RawPolicy.of(policy));
    }

    /**
     * Upstream's aggregate error text for a list of errors: the single message, or all distinct messages
     * comma-separated in brackets.
     */
    public static String aggregate(List<String> errors) {
        Set<String> distinct = new LinkedHashSet<>(errors);
        if (distinct.size() == 1) {
            return distinct.iterator().next();
        }
        return "[" + String.join(", ", distinct) + "]";
    }

    static List<String> validate(RawPolicy policy) {
        List<String> errors = new ArrayList<>();
        omitStages(policy.omitStages(), "omitStages", errors);
        for (int i = 0; i < policy.rules().size(); i++) {
            rule(policy.rules().get(i), "rules[" + i + "]", errors);
        }
        return errors;
    }

    private static void rule(RawPolicy.RawRule rule, String path, List<String> errors) {
        String level = rule.level() == null ? "" : rule.level();
        if (level.isEmpty()) {
            errors.add(path + ".level: Required value");
        } else if (Level.fromWire(level) == null) {
            // The value is an audit.Level, not a plain string, so the field package prints it as JSON.
            errors.add(path + ".level: Unsupported value: " + GoJson.string(level) + ": supported values: " + LEVELS);
        }
        List<String> urls = rule.nonResourceURLs();
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            if (url.equals("*")) {
                continue;
            }
            String field = path + ".nonResourceURLs[" + i + "]: Invalid value: " + GoText.quote(url) + ": ";
            if (!url.startsWith("/")) {
                errors.add(field + "non-resource URL rules must begin with a '/' character");
            }
            if (!url.isEmpty() && url.substring(0, url.length() - 1).indexOf('*') >= 0) {
                errors.add(field + "non-resource URL wildcards '*' must be the final character of the rule");
            }
        }
        for (RawPolicy.RawGroupResources gr : rule.resources()) {
            // Upstream names the field without the entry's index: rules[0].resources.group.
            if (!gr.group().isEmpty()) {
                List<String> msgs = subdomainErrors(gr.group());
                if (!msgs.isEmpty()) {
                    errors.add(path + ".resources.group: Invalid value: " + GoText.quote(gr.group()) + ": "
                            + String.join(",", msgs));
                }
            }
            if (!gr.resourceNames().isEmpty() && gr.resources().isEmpty()) {
                errors.add(path + ".resources.resourceNames: Invalid value: " + GoJson.stringArray(gr.resourceNames())
                        + ": using resourceNames requires at least one resource");
            }
        }
        omitStages(rule.omitStages(), path + ".omitStages", errors);
        if (!urls.isEmpty()
                && (!rule.resources().isEmpty() || !rule.namespaces().isEmpty())) {
            errors.add(path + ".nonResourceURLs: Invalid value: " + GoJson.stringArray(urls)
                    + ": rules cannot apply to both regular resources and non-resource URLs");
        }
    }

    private static void omitStages(List<String> stages, String path, List<String> errors) {
        for (int i = 0; i < stages.size(); i++) {
            String stage = stages.get(i);
            if (Stage.fromWire(stage) == null) {
                errors.add(
                        path + "[" + i + "]: Invalid value: " + GoText.quote(stage) + ": allowed stages are " + STAGES);
            }
        }
    }

    /** k8s.io/apimachinery/pkg/util/validation IsDNS1123Subdomain. */
    private static List<String> subdomainErrors(String value) {
        List<String> msgs = new ArrayList<>();
        if (value.getBytes(StandardCharsets.UTF_8).length > 253) {
            msgs.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            msgs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                    + "validation is '" + DNS1123_SUBDOMAIN + "')");
        }
        return msgs;
    }
}
