package io.kubetwin.scenarios.runner;

import io.kubetwin.client.ApiClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${first LIST}} in a request's path: the {@code metadata.name} of the first item the list request LIST
 * answers (read as the step's actor), for objects whose names the cluster generates (a Job's pods). A list without
 * items leaves {@value #NONE} in the path, so that the request answers 404 and a step with {@code retry} tries again.
 */
final class ListedNames {
    static final String NONE = "no-item-listed";
    private static final Pattern FIRST = Pattern.compile("\\$\\{first (/[^}]*)}");

    private ListedNames() {}

    static String resolve(String path, ApiClient client) {
        if (!path.contains("${first ")) {
            return path;
        }
        Matcher m = FIRST.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            var items = client.get(m.group(1)).json().path("items");
            String name = items.isEmpty()
                    ? NONE
                    : items.get(0).path("metadata").path("name").asText(NONE);
            m.appendReplacement(out, Matcher.quoteReplacement(name));
        }
        m.appendTail(out);
        return out.toString();
    }
}
