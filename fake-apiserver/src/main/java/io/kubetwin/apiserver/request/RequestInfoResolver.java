package io.kubetwin.apiserver.request;

import io.kubetwin.apiserver.registry.selection.FieldSelector;
import io.kubetwin.apiserver.registry.selection.SelectorException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * URL and method to {@link RequestInfo}. Mirrors RequestInfoFactory.NewRequestInfo in
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go (with AuthorizeWithSelectors on).
 * Pure and thread-safe.
 */
public final class RequestInfoResolver {

    private static final Set<String> API_PREFIXES = Set.of("api", "apis");
    private static final Set<String> GROUPLESS_PREFIXES = Set.of("api");
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
    private static final Set<String> PATH_VERBS = Set.of("watch", "proxy");

    /**
     * @param method HTTP method as sent (methods are case-sensitive)
     * @param path URL path without the query
     * @param query decoded query parameters (first value of each)
     */
    public RequestInfo resolve(String method, String path, Map<String, String> query) {
        String lowerMethod = method.toLowerCase(Locale.ROOT);
        String trimmed = trimSlashes(path);
        List<String> segments = trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
        if (segments.size() < 3 || !API_PREFIXES.contains(segments.get(0))) {
            return RequestInfo.nonResource(path, lowerMethod);
        }
        String prefix = segments.get(0);
        List<String> current = new ArrayList<>(segments.subList(1, segments.size()));
        String group = "";
        if (!GROUPLESS_PREFIXES.contains(prefix)) {
            if (current.size() < 3) {
                return RequestInfo.nonResource(path, lowerMethod);
            }
            group = current.remove(0);
        }
        String version = current.remove(0);

        String verb;
        if (PATH_VERBS.contains(current.get(0))) {
            if (current.size() < 2) {
                // "/api/v1/watch" alone names no resource; upstream reports it as an error
                return RequestInfo.nonResource(path, lowerMethod);
            }
            verb = current.remove(0);
        } else {
            // the method as sent: "get" is no GET, and reaches no route (405)
            verb = switch (method) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }

        String namespace = "";
        if ("namespaces".equals(current.get(0))) {
            if (current.size() > 1) {
                namespace = current.get(1);
                if (current.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(current.get(2))) {
                    current = new ArrayList<>(current.subList(2, current.size()));
                }
            }
        }

        String resource = current.get(0);
        String name = current.size() >= 2 ? current.get(1) : "";
        String subresource = current.size() >= 3 && !"proxy".equals(verb) ? current.get(2) : "";

        String fieldSelector = "";
        String labelSelector = "";
        if ("get".equals(verb) && name.isEmpty()) {
            verb = isWatch(query) ? "watch" : "list";
        }
        if ("delete".equals(verb) && name.isEmpty()) {
            verb = "deletecollection";
        }
        if (Set.of("list", "watch", "deletecollection").contains(verb)) {
            fieldSelector = query.getOrDefault("fieldSelector", "");
            labelSelector = query.getOrDefault("labelSelector", "");
            if (("list".equals(verb) || "watch".equals(verb)) && name.isEmpty()) {
                name = nameFromFieldSelector(fieldSelector);
            }
        }
        return new RequestInfo(
                true,
                path,
                verb,
                prefix,
                group,
                version,
                namespace,
                resource,
                subresource,
                name,
                current,
                fieldSelector,
                labelSelector);
    }

    private static boolean isWatch(Map<String, String> query) {
        String watch = query.get("watch");
        // runtime.Convert_Slice_string_To_bool
        return watch != null && !watch.equalsIgnoreCase("false") && !watch.equals("0");
    }

    /**
     * A list or watch restricted to one name by {@code metadata.name=NAME} is authorized as that name
     * (requestinfo.go: the selector as fields.ParseSelector reads it, none when it does not parse, and only a name
     * that is a valid path segment).
     */
    private static String nameFromFieldSelector(String selector) {
        if (selector.isEmpty()) {
            return "";
        }
        String name;
        try {
            name = FieldSelector.parse(selector).exactValue("metadata.name");
        } catch (SelectorException e) {
            return "";
        }
        boolean validSegment =
                name != null && !name.equals(".") && !name.equals("..") && !name.contains("/") && !name.contains("%");
        return validSegment ? name : "";
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
