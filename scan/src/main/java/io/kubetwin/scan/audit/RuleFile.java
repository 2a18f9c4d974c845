package io.kubetwin.scan.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kubetwin.scan.audit.StarterRules.Requester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Detection rules from a YAML file in the format of Falco's rule files (a list of {@code list}, {@code macro} and
 * {@code rule} entries; conditions in Falco's syntax over Falco's k8saudit field names, see {@link Condition}), plus
 * what the coverage analysis needs and Falco has no word for: each rule's {@code watches}, the requests it is about,
 * and optionally {@code requesters}, who sends them (default: a person, a service account and a node). Falco's
 * {@code output}, {@code priority}, {@code source} (which must be {@code k8s_audit}), {@code tags} and {@code enabled}
 * are accepted. Anything else, and any malformed entry, is a {@link RuleFileException} naming the file and entry.
 */
public final class RuleFile {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> RULE_KEYS = Set.of(
            "rule", "desc", "condition", "output", "priority", "source", "tags", "enabled", "watches", "requesters");
    private static final Set<String> WATCH_KEYS =
            Set.of("verb", "group", "resource", "subresource", "namespace", "path");
    private static final Map<String, Requester> REQUESTERS = Map.of(
            "person", StarterRules.PERSON,
            "serviceAccount", StarterRules.SERVICE_ACCOUNT,
            "node", StarterRules.NODE,
            "anonymous", StarterRules.ANONYMOUS);

    private RuleFile() {}

    public static List<DetectionRule> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new RuleFileException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** A rule file shipped as a class-path resource next to this class. */
    public static List<DetectionRule> resource(String name) {
        try (var in = RuleFile.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new RuleFileException("no rule resource " + name);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuleFileException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static List<DetectionRule> parse(String source, String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new RuleFileException(
                    source + ": not YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isArray()) {
            throw new RuleFileException(source + ": expected a list of list, macro and rule entries");
        }
        var lists = new HashMap<String, List<String>>();
        var macros = new HashMap<String, Condition>();
        var rules = new LinkedHashMap<String, DetectionRule>();
        int index = 0;
        for (var entry : root) {
            index++;
            String where = source + ", entry " + index;
            try {
                if (entry.has("list")) {
                    where += " (list " + entry.path("list").asText() + ")";
                    var items = new ArrayList<String>();
                    requireArray(entry, "items").forEach(i -> items.add(i.asText()));
                    lists.put(entry.path("list").asText(), List.copyOf(items));
                } else if (entry.has("macro")) {
                    where += " (macro " + entry.path("macro").asText() + ")";
                    macros.put(
                            entry.path("macro").asText(),
                            Condition.parse(requireText(entry, "condition"), macros, lists));
                } else if (entry.has("rule")) {
                    var id = entry.path("rule").asText();
                    where += " (rule " + id + ")";
                    if (entry.path("enabled").asBoolean(true)) {
                        if (rules.containsKey(id)) {
                            throw new RuleFileException("duplicate rule " + id);
                        }
                        rules.put(id, rule(id, entry, macros, lists));
                    }
                } else {
                    throw new RuleFileException("expected a list, macro or rule entry, got " + entry);
                }
            } catch (RuleFileException e) {
                throw new RuleFileException(where + ": " + e.getMessage(), e);
            }
        }
        if (rules.isEmpty()) {
            throw new RuleFileException(source + ": no rules");
        }
        return List.copyOf(rules.values());
    }

    private static DetectionRule rule(
            String id, JsonNode entry, Map<String, Condition> macros, Map<String, List<String>> lists) {
        entry.fieldNames().forEachRemaining(k -> {
            if (!RULE_KEYS.contains(k)) {
                throw new RuleFileException("unknown key " + k + " (known: " + RULE_KEYS + ")");
            }
        });
        if (entry.has("source") && !entry.path("source").asText().equals("k8s_audit")) {
            throw new RuleFileException("source " + entry.path("source").asText() + ": only k8s_audit rules apply");
        }
        var condition = Condition.parse(requireText(entry, "condition"), macros, lists);
        var requesters = new ArrayList<Requester>();
        if (entry.has("requesters")) {
            for (var r : requireArray(entry, "requesters")) {
                var who = REQUESTERS.get(r.asText());
                if (who == null) {
                    throw new RuleFileException(
                            "unknown requester " + r.asText() + " (known: " + REQUESTERS.keySet() + ")");
                }
                requesters.add(who);
            }
        } else {
            requesters.addAll(StarterRules.AUTHENTICATED);
        }
        var watches = new ArrayList<RequestClass>();
        for (var w : requireArray(entry, "watches")) {
            w.fieldNames().forEachRemaining(k -> {
                if (!WATCH_KEYS.contains(k)) {
                    throw new RuleFileException("watches: unknown key " + k + " (known: " + WATCH_KEYS + ")");
                }
            });
            if (!w.has("path") && !w.has("resource")) {
                throw new RuleFileException("watches: each request needs a resource or a path: " + w);
            }
            for (var who : requesters) {
                watches.add(request(w, who));
            }
        }
        if (watches.isEmpty()) {
            throw new RuleFileException("watches: empty (the requests the rule is about, for the coverage analysis)");
        }
        String desc = entry.path("desc").asText(id);
        return new DetectionRule(
                id, desc, condition.needs(), List.copyOf(condition.fields()), watches, condition::test);
    }

    private static RequestClass request(JsonNode w, Requester who) {
        if (w.has("path")) {
            var path = w.path("path").asText();
            return RequestClass.path("GET " + path + " by " + who.label(), who.user(), who.groups(), path);
        }
        String verb = w.path("verb").asText("get");
        String group = w.path("group").asText("");
        String resource = w.path("resource").asText();
        String subresource = w.path("subresource").asText("");
        String what = verb + " " + (group.isEmpty() ? "" : group + "/") + resource
                + (subresource.isEmpty() ? "" : "/" + subresource);
        return RequestClass.resource(
                what + " by " + who.label(),
                who.user(),
                who.groups(),
                verb,
                group,
                resource,
                subresource,
                w.path("namespace").asText(""));
    }

    private static String requireText(JsonNode entry, String key) {
        var v = entry.get(key);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new RuleFileException(key + ": missing or not a string");
        }
        return v.asText();
    }

    private static JsonNode requireArray(JsonNode entry, String key) {
        var v = entry.get(key);
        if (v == null || !v.isArray()) {
            throw new RuleFileException(key + ": missing or not a list");
        }
        return v;
    }
}
