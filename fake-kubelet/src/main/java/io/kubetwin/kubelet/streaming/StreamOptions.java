package io.kubetwin.kubelet.streaming;

import io.vertx.core.http.HttpServerRequest;

/**
 * The streams a remote command asks for, as k8s.io/kubelet/pkg/cri/streaming/remotecommand/httpstream.go
 * NewOptions reads them from the query ({@code input}, {@code output}, {@code error}, {@code tty}, each "1" to be
 * on): a TTY carries no separate stderr (dropped silently), and at least one stream is required.
 */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {
    /** NewOptions' refusal, answered with 400 by the kubelet's handlers. */
    public static final String NONE_REQUESTED = "you must specify at least 1 of stdin, stdout, stderr";

    /** The options, or null when none of stdin, stdout, stderr is requested. */
    public static StreamOptions parse(HttpServerRequest request) {
        boolean tty = "1".equals(request.getParam("tty"));
        boolean stdin = "1".equals(request.getParam("input"));
        boolean stdout = "1".equals(request.getParam("output"));
        boolean stderr = "1".equals(request.getParam("error")) && !tty;
        if (!stdin && !stdout && !stderr) {
            return null;
        }
        return new StreamOptions(stdin, stdout, stderr, tty);
    }
}
