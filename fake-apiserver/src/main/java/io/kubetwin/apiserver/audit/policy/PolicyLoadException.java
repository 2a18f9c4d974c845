package io.kubetwin.apiserver.audit.policy;

/**
 * A policy file kube-apiserver would refuse. The message is kube-apiserver's start-up error, naming the
 * file: {@code loading audit policy file: <problem>: from file <path>}.
 */
public final class PolicyLoadException extends Exception {
    public PolicyLoadException(String message) {
        super(message, null, false, false);
    }
}
