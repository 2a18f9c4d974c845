package io.kubetwin.apiserver.audit;

import io.kubetwin.apiserver.request.RequestInfo;
import java.util.Set;

/**
 * Which requests are long-running, and so get a ResponseStarted event: kube-apiserver's
 * BasicLongRunningRequestCheck (k8s.io/apiserver/pkg/server/filters/longrunning.go) as configured in
 * pkg/controlplane/apiserver/config.go: verbs watch and proxy, subresources attach, exec, proxy, log and
 * portforward, and non-resource paths under {@code /debug/pprof/}.
 */
public final class LongRunning {
    private static final Set<String> VERBS = Set.of("watch", "proxy");
    private static final Set<String> SUBRESOURCES = Set.of("attach", "exec", "proxy", "log", "portforward");

    private LongRunning() {}

    public static boolean isLongRunning(RequestInfo info) {
        if (info == null) {
            return false;
        }
        if (VERBS.contains(info.verb())) {
            return true;
        }
        if (info.resourceRequest()) {
            return SUBRESOURCES.contains(info.subresource());
        }
        return info.path().startsWith("/debug/pprof/");
    }
}
