package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * The DefaultTolerationSeconds plugin (plugin/pkg/admission/defaulttolerationseconds/admission.go),
 * enabled by default: on pod create and update, a pod that does not already tolerate the
 * {@code node.kubernetes.io/not-ready} or {@code node.kubernetes.io/unreachable} NoExecute taint gets an
 * {@code Exists} toleration for it with {@code tolerationSeconds} (300 unless configured otherwise).
 * A toleration with an empty key or an empty effect counts as tolerating the taint.
 */
public final class DefaultTolerationSeconds implements AdmissionPlugin {
    static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    /** kube-apiserver's default for --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
    public static final long DEFAULT_SECONDS = 300;

    private final long notReadySeconds;
    private final long unreachableSeconds;

    public DefaultTolerationSeconds(long notReadySeconds, long unreachableSeconds) {
        this.notReadySeconds = notReadySeconds;
        this.unreachableSeconds = unreachableSeconds;
    }

    /** With kube-apiserver's default of 300 seconds for both. */
    public static DefaultTolerationSeconds withDefaults() {
        return new DefaultTolerationSeconds(DEFAULT_SECONDS, DEFAULT_SECONDS);
    }

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty()
                || !"pods".equals(a.resource())
                || !a.subresource().isEmpty()
                || a.object() == null) {
            return Future.succeededFuture();
        }
        ObjectNode spec =
                a.object().get("spec") instanceof ObjectNode s ? s : a.object().putObject("spec");
        boolean notReady = false;
        boolean unreachable = false;
        for (JsonNode t : spec.path("tolerations")) {
            notReady |= tolerates(t, NOT_READY);
            unreachable |= tolerates(t, UNREACHABLE);
        }
        if (!notReady) {
            add(spec, NOT_READY, notReadySeconds);
        }
        if (!unreachable) {
            add(spec, UNREACHABLE, unreachableSeconds);
        }
        return Future.succeededFuture();
    }

    /** The plugin's test: the key is the taint's or empty, and the effect NoExecute or empty (the operator is not looked at). */
    static boolean tolerates(JsonNode toleration, String taintKey) {
        String key = toleration.path("key").asText("");
        String effect = toleration.path("effect").asText("");
        return (key.equals(taintKey) || key.isEmpty()) && (effect.equals("NoExecute") || effect.isEmpty());
    }

    private static void add(ObjectNode spec, String key, long seconds) {
        ArrayNode tolerations = spec.get("tolerations") instanceof ArrayNode t ? t : spec.putArray("tolerations");
        tolerations
                .addObject()
                .put("key", key)
                .put("operator", "Exists")
                .put("effect", "NoExecute")
                .put("tolerationSeconds", seconds);
    }
}
