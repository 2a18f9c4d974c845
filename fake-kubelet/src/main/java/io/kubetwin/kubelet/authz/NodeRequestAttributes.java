package io.kubetwin.kubelet.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's mapping of a request to authorization attributes, mirroring
 * pkg/kubelet/server/auth.go {@code nodeAuthorizerAttributesGetter.GetRequestAttributes} (v1.32+):
 * the verb comes from the HTTP method (POST create, GET get, PUT update, PATCH patch, DELETE delete,
 * anything else, HEAD included, ""); the subresource from the path, matched on whole segments.
 * With {@code KubeletFineGrainedAuthz} on, {@code /pods}, {@code /healthz}, {@code /configz},
 * {@code /statusz} and {@code /runningpods/} first get their own subresource ({@code pods}, {@code healthz},
 * {@code configz}, {@code statusz}, {@code pods}); then every path gets one of {@code stats},
 * {@code metrics}, {@code log}, {@code checkpoint} or, for everything else, {@code proxy}. The request is
 * allowed when any candidate is allowed, tried in this order. Every candidate is a resource request for
 * {@code nodes/<node name>} in the core group, version v1, no namespace, with the request path. Pure and thread-safe.
 */
public final class NodeRequestAttributes {
    public static final String RESOURCE = "nodes";

    private final String nodeName;
    private final boolean fineGrained;

    public NodeRequestAttributes(String nodeName, boolean fineGrained) {
        this.nodeName = nodeName;
        this.fineGrained = fineGrained;
    }

    /** The attributes to try in order; never empty. {@code path} is the decoded URL path. */
    public List<Attributes> attributes(UserInfo user, String method, String path) {
        String verb = verb(method);
        List<Attributes> attributes = new ArrayList<>();
        for (String subresource : subresources(path)) {
            attributes.add(new Attributes(user, verb, true, path, "", "", "v1", RESOURCE, subresource, nodeName));
        }
        return attributes;
    }

    /** The candidate subresources of a path, in the order they are tried. */
    public List<String> subresources(String path) {
        List<String> subresources = new ArrayList<>(2);
        if (fineGrained) {
            if (isSubpath(path, "/pods")) {
                subresources.add("pods");
            } else if (isSubpath(path, "/healthz")) {
                subresources.add("healthz");
            } else if (isSubpath(path, "/configz")) {
                subresources.add("configz");
            } else if (isSubpath(path, "/statusz")) {
                subresources.add("statusz");
            } else if (isSubpath(path, "/runningpods/")) {
                subresources.add("pods");
            }
        }
        if (isSubpath(path, "/stats/")) {
            subresources.add("stats");
        } else if (isSubpath(path, "/metrics")) {
            subresources.add("metrics");
        } else if (isSubpath(path, "/logs/")) {
            subresources.add("log"); // "log" as for the other log subresources (pods/log)
        } else if (isSubpath(path, "/checkpoint/")) {
            subresources.add("checkpoint");
        } else {
            subresources.add("proxy");
        }
        return subresources;
    }

    static String verb(String method) {
        return switch (method) {
            case "POST" -> "create";
            case "GET" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
    }

    /** auth.go isSubpath: equal to the prefix without its trailing slash, or below it on a segment boundary. */
    static boolean isSubpath(String subpath, String path) {
        String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return subpath.equals(prefix)
                || subpath.startsWith(prefix)
                        && subpath.length() > prefix.length()
                        && subpath.charAt(prefix.length()) == '/';
    }
}
