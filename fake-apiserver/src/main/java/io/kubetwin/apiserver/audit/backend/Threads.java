package io.kubetwin.apiserver.audit.backend;

import io.kubetwin.apiserver.api.DeepStack;
import java.util.concurrent.ThreadFactory;

/** Named daemon threads for backends: a forgotten backend never keeps a JVM (or a test run) alive. */
final class Threads {
    private Threads() {}

    static ThreadFactory named(String prefix) {
        // with a deep stack: these threads serialise request and response objects as deep as Go allows
        return DeepStack.threads(prefix);
    }
}
