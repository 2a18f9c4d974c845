package io.kubetwin.apiserver.audit.policy;

import java.util.List;

/**
 * A policy accepted at start-up, with the warnings kube-apiserver would log for it (unknown fields and
 * duplicate keys are forgiven by its lenient decoding, but logged).
 */
public record LoadedPolicy(Policy policy, List<String> warnings) {
    public LoadedPolicy {
        warnings = List.copyOf(warnings);
    }
}
