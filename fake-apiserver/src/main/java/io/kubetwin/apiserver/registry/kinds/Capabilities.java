package io.kubetwin.apiserver.registry.kinds;

/**
 * What the cluster allows pods to ask for (pkg/capabilities/capabilities.go), set from kube-apiserver's flags.
 *
 * @param allowPrivileged {@code --allow-privileged}: whether containers may run privileged (and Windows pods as
 *                        hostProcess); kube-apiserver's default is false
 */
public record Capabilities(boolean allowPrivileged) {
    /** kube-apiserver's defaults: {@code --allow-privileged=false}. */
    public static Capabilities defaults() {
        return new Capabilities(false);
    }
}
