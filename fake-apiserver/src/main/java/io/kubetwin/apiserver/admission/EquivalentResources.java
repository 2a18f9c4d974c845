package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.kinds.EventConversion;
import io.kubetwin.apiserver.registry.kinds.HpaConversion;
import java.util.List;
import java.util.Optional;

/**
 * The resources kube-apiserver v1.34.4 serves in more than one group or version over one storage, which its
 * EquivalentResourceRegistry (keyed by the storage's resource prefix) treats as equivalent for webhooks'
 * {@code matchPolicy: Equivalent} (webhook/generic/webhook.go ShouldCallHook, and policy/matching/matching.go for
 * ValidatingAdmissionPolicy): core/v1 and events.k8s.io/v1 Events, and
 * autoscaling/v1 and v2 HorizontalPodAutoscalers (with their status). Admission works on the stored form (core/v1
 * Events, autoscaling/v2 HorizontalPodAutoscalers); a webhook is sent the object converted to the version its rule
 * matched (a policy evaluates it in that version), and a mutating webhook's patched object is converted back. Pure.
 */
public final class EquivalentResources {
    private EquivalentResources() {}

    /** A group, version and resource with its kind. */
    public record Target(String group, String version, String resource, String kind) {}

    private static final List<List<Target>> EQUIVALENT = List.of(
            List.of(new Target("", "v1", "events", "Event"), new Target("events.k8s.io", "v1", "events", "Event")),
            List.of(
                    new Target("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
                    new Target("autoscaling", "v1", "horizontalpodautoscalers", "HorizontalPodAutoscaler")));

    /** The other group versions of the request's resource, in kube-apiserver's installation order. */
    public static List<Target> equivalents(AdmissionAttributes a) {
        for (List<Target> set : EQUIVALENT) {
            if (set.stream().anyMatch(t -> same(t, a))) {
                return set.stream().filter(t -> !same(t, a)).toList();
            }
        }
        return List.of();
    }

    private static boolean same(Target t, AdmissionAttributes a) {
        return t.group().equals(a.resourceGroup())
                && t.version().equals(a.version())
                && t.resource().equals(a.resource());
    }

    /** The request in the version it was made in, its objects converted out of their stored form where they differ. */
    public static AdmissionAttributes asRequested(AdmissionAttributes a) {
        Target own = new Target(a.resourceGroup(), a.version(), a.resource(), a.kind());
        return conversion(own).isPresent() ? in(a, own) : a;
    }

    /** The request as the equivalent {@code target}: its kind and resource, its objects converted. */
    public static AdmissionAttributes in(AdmissionAttributes a, Target target) {
        return new AdmissionAttributes(
                a.operation(),
                toVersion(target, a.object()),
                toVersion(target, a.oldObject()),
                target.group(),
                target.version(),
                target.kind(),
                target.group(),
                target.resource(),
                a.subresource(),
                a.namespace(),
                a.name(),
                a.user(),
                a.dryRun(),
                a.recorder());
    }

    /** A (patched) object of {@code versioned}'s version back in its stored form. */
    public static ObjectNode toStored(AdmissionAttributes versioned, ObjectNode object) {
        Target t = new Target(versioned.resourceGroup(), versioned.version(), versioned.resource(), versioned.kind());
        return switch (conversion(t).orElse("")) {
            case "events.k8s.io" -> EventConversion.toCore(object);
            case "autoscaling/v1" -> HpaConversion.toV2(object);
            default -> object;
        };
    }

    private static ObjectNode toVersion(Target t, ObjectNode stored) {
        if (stored == null) {
            return null;
        }
        return switch (conversion(t).orElse("")) {
            case "events.k8s.io" -> EventConversion.fromCore(stored);
            case "autoscaling/v1" -> HpaConversion.toV1(stored);
            default -> stored;
        };
    }

    /** Which conversion the stored form needs for {@code t}, if any. */
    private static Optional<String> conversion(Target t) {
        if (t.group().equals("events.k8s.io") && t.resource().equals("events")) {
            return Optional.of("events.k8s.io");
        }
        if (t.group().equals("autoscaling")
                && t.version().equals("v1")
                && t.resource().equals("horizontalpodautoscalers")) {
            return Optional.of("autoscaling/v1");
        }
        return Optional.empty();
    }
}
