package io.kubetwin.apiserver.discovery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Prometheus text exposition of /metrics (client_golang's promhttp, format 0.0.4), holding the one metric whose
 * value the fake knows as kube-apiserver does: {@code kubernetes_build_info}
 * (k8s.io/component-base/metrics/prometheus/version/metrics.go), labelled from the /version document. Pure.
 */
final class MetricsText {
    /** promhttp's Content-Type for the text format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8; escaping=underscores";

    private MetricsText() {}

    /** The exposition; labels in name order, as the registry writes them. */
    static String buildInfo(JsonNode version) {
        String[][] labels = {
            {"build_date", "buildDate"},
            {"compiler", "compiler"},
            {"git_commit", "gitCommit"},
            {"git_tree_state", "gitTreeState"},
            {"git_version", "gitVersion"},
            {"go_version", "goVersion"},
            {"major", "major"},
            {"minor", "minor"},
            {"platform", "platform"}
        };
        StringBuilder out = new StringBuilder()
                .append("# HELP kubernetes_build_info [ALPHA] A metric with a constant '1' value labeled by major, ")
                .append("minor, git version, git commit, git tree state, build date, Go version, and compiler from ")
                .append("which Kubernetes was built, and platform on which it is running.\n")
                .append("# TYPE kubernetes_build_info gauge\n")
                .append("kubernetes_build_info{");
        for (int i = 0; i < labels.length; i++) {
            out.append(i == 0 ? "" : ",")
                    .append(labels[i][0])
                    .append("=\"")
                    .append(escape(version.path(labels[i][1]).asText("")))
                    .append('"');
        }
        return out.append("} 1\n").toString();
    }

    /** The text format's label value escaping: backslash, double quote and newline. */
    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
