package io.kubetwin.apiserver.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the fake does with each of kube-apiserver's gates (the table of fake-apiserver/README.md "Feature gates"):
 * <ul>
 *   <li>{@link Kind#HONOURED}: the fake's behaviour follows the gate both ways;</li>
 *   <li>{@link Kind#NO_EFFECT}: nothing a client of the apiserver can observe changes (caches, tracing, logging,
 *       performance), or no code compiled into kube-apiserver reads the gate at all (kubelet, scheduler and
 *       controller gates, as recorded in {@code feature-gates.json});</li>
 *   <li>{@link Kind#DEFAULT_ONLY}: everything else, accepted at its default and refused at start-up otherwise (a
 *       gate the fake does not emulate would make a test pass for the wrong reason).</li>
 * </ul>
 */
public final class GateSupport {
    /** The three classes. */
    public enum Kind {
        HONOURED,
        NO_EFFECT,
        DEFAULT_ONLY
    }

    /** Gates whose both positions the fake emulates (see the README for what each one changes). */
    static final Set<String> HONOURED = Set.of(
            // x509 authenticator: the UID subject attribute (auth module's X509Authenticator)
            "AllowParsingUserUIDFromCertAuth",
            // TokenRequest: a body UID other than the account's is a 409, or a warning and an audit annotation
            "TokenRequestServiceAccountUIDValidation",
            // encryption at rest: KMS v1 providers refused with upstream's text, or (on) as not emulated
            "KMSv1",
            // PodSecurity: the hostProbesAndHostLifecycle check runs only with the gate on (locked on at 1.34,
            // off before: an emulated 1.33 admits probe and lifecycle hosts at every policy version)
            "ProbeHostPodSecurityStandards",
            // the gates whose default is off at 1.33 and on at 1.34, each emulated as kube-apiserver v1.34.4 applies it
            // off: pod and pod template fields dropped (pkg/api/pod/util.go), the bootstrap policy's DRA rules and
            // resource-claim-controller role (resource.k8s.io itself is served by the release's API surface)
            "DynamicResourceAllocation",
            // a pod's (and pod template's) spec.resources dropped unless in use
            "PodLevelResources",
            // a pod's status.observedGeneration and its conditions' dropped unless in use
            "PodObservedGenerationTracking",
            // claims' and volumes' volumeAttributesClassName (and a claim's status fields) dropped unless in use, the
            // volumeattributesclass-protection-controller role
            "VolumeAttributesClass",
            // Services' trafficDistribution PreferSameZone and PreferSameNode refused, EndpointSlices' hints.forNodes
            // dropped
            "PreferSameTrafficDistribution",
            // a watch's sendInitialEvents is a 422 (validateWatchOptions)
            "WatchList",
            // system:node's get of serviceaccounts and the Node authorizer's (unless PodCertificateRequest is on)
            "KubeletServiceAccountTokenForCredentialProviders");

    /**
     * Gates kube-apiserver reads whose effect a client cannot observe: caches and their snapshots, watch decoding,
     * serving goroutines, cost estimates of lists, cache consistency checks and indexes, logging and tracing, the HTTP/2 DOS
     * mitigation (connection handling only), declarative validation without its takeover (mismatches go to metrics),
     * the apiserver's own informers' list mode, the meta gates AllAlpha/AllBeta (their effect is on other gates,
     * checked one by one).
     */
    static final Set<String> NO_EFFECT = Set.of(
            "AllAlpha",
            "AllBeta",
            "APIServingWithRoutine",
            "ConcurrentWatchObjectDecode",
            "ListFromCacheSnapshot",
            "SizeBasedListCostEstimate",
            "WatchCacheInitializationPostStartHook",
            "UnauthenticatedHTTP2DOSMitigation",
            "DeclarativeValidation",
            "WatchListClient",
            "InformerResourceVersion",
            "LoggingBetaOptions",
            "APIServerTracing",
            "StreamingCollectionEncodingToJSON",
            "StreamingCollectionEncodingToProtobuf",
            "InOrderInformers",
            "ResilientWatchCacheInitialization",
            "BtreeWatchCache",
            "WatchFromStorageWithoutResourceVersion",
            "ConsistentListFromCache",
            "DetectCacheInconsistency",
            "SeparateCacheWatchRPC",
            "StorageNamespaceIndex",
            // only the legacy ClusterIP allocator's bitmap in etcd (/registry/ranges/serviceips), which no API
            // serves and the fake does not keep
            "DisableAllocatorDualWrite",
            // only --service-account-signing-endpoint, a flag the fake does not implement (refused)
            "ExternalServiceAccountTokenSigner",
            // only egressSelectorType of --authentication-config's issuers, a flag the fake does not implement
            "StructuredAuthenticationConfigurationEgressSelector");

    /**
     * Gates whose effect the fake shows only in their off position: it behaves as kube-apiserver does with the gate
     * off, and is listed in conformance/known-divergences.yaml where the gate is on by default. Off (set so, or by
     * an emulated release's default) is accepted.
     */
    static final Set<String> BEHAVES_AS_OFF = Set.of(
            // PodTopologySpread's matchLabelKeys are never merged into the labelSelector at pod creation
            "MatchLabelKeysInPodTopologySpreadSelectorMerge");

    /**
     * Gates that change only the named API group's objects: no effect at an emulated release that does not serve
     * the group (resource.k8s.io before 1.34: its beta versions are off by default, v1 is new in 1.34).
     */
    static final Map<String, String> GROUP_ONLY = Map.of(
            "DRAAdminAccess", "resource.k8s.io",
            "DRAPrioritizedList", "resource.k8s.io");

    private GateSupport() {}

    /** The class of a known gate. */
    public static Kind kind(String gate) {
        if (HONOURED.contains(gate)) {
            return Kind.HONOURED;
        }
        if (NO_EFFECT.contains(gate) || !KnownFeatures.v134().readByApiserver(gate)) {
            return Kind.NO_EFFECT;
        }
        return Kind.DEFAULT_ONLY;
    }

    /**
     * The start-up refusal for gates the fake does not emulate at the value they have, if any: a
     * {@link Kind#DEFAULT_ONLY} gate must have its v1.34 default (the behaviour the fake has), whether it got
     * another value from {@code --feature-gates} or from the emulated release's defaults.
     *
     * @param gates parsed gates (upstream's own checks passed)
     * @param servedGroups the API groups the emulated release serves
     * @return the message, naming each gate with its value
     */
    public static Optional<String> refusal(FeatureGates gates, Set<String> servedGroups) {
        List<String> explicit = new ArrayList<>();
        List<String> byRelease = new ArrayList<>();
        Set<String> named = new TreeSet<>(gates.explicit().keySet());
        for (String gate : KnownFeatures.v134().names()) {
            boolean value = gates.enabled(gate);
            if (kind(gate) != Kind.DEFAULT_ONLY
                    || value == gates.binaryDefault(gate)
                    || (!value && BEHAVES_AS_OFF.contains(gate))
                    || (GROUP_ONLY.containsKey(gate) && !servedGroups.contains(GROUP_ONLY.get(gate)))) {
                continue;
            }
            if (gates.changed().containsKey(gate)) {
                explicit.add(gate + "=" + value);
            } else {
                byRelease.add(gate + "=" + value);
            }
        }
        List<String> messages = new ArrayList<>();
        if (!explicit.isEmpty()) {
            String via = explicit.stream().allMatch(r -> named.contains(r.substring(0, r.indexOf('='))))
                    ? ""
                    : " (set through "
                            + String.join(
                                    ", ",
                                    named.stream()
                                            .filter(g -> g.equals("AllAlpha") || g.equals("AllBeta"))
                                            .toList())
                            + ")";
            messages.add("--feature-gates: " + String.join(",", explicit) + via
                    + (explicit.size() == 1 ? " is" : " are")
                    + " not emulated by this fake apiserver, which runs "
                    + (explicit.size() == 1 ? "this gate at its default" : "these gates at their defaults")
                    + " (see fake-apiserver/README.md, Feature gates); refusing to start rather than ignore "
                    + (explicit.size() == 1 ? "it" : "them"));
        }
        if (!byRelease.isEmpty()) {
            messages.add("--emulated-version=" + gates.emulationVersion() + ": kube-apiserver's default"
                    + (byRelease.size() == 1 ? " of " : "s of ") + String.join(",", byRelease)
                    + " at " + gates.emulationVersion() + " differ" + (byRelease.size() == 1 ? "s" : "")
                    + " from v1.34's, and this fake apiserver emulates "
                    + (byRelease.size() == 1 ? "this gate" : "these gates")
                    + " only at v1.34's default (see fake-apiserver/README.md, Feature gates); refusing to start"
                    + " rather than answer as v1.34 (a gate that can be set at "
                    + gates.emulationVersion() + " may be set to v1.34's default with --feature-gates)");
        }
        return messages.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", messages));
    }

    /**
     * The start-up refusal of an emulated release whose API surface the fake has not recorded (kube-apiserver
     * v1.34.4 accepts 1.31 to 1.34; see {@code ApiSurface}).
     */
    public static String emulationRefusal(FeatureGates gates) {
        return "--emulated-version=" + gates.emulationVersion() + " is not emulated by this fake apiserver: it has"
                + " no recording of kube-apiserver's API surface at " + gates.emulationVersion()
                + "; refusing to start rather than answer as 1.34";
    }
}
