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
            "KMSv1");

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
            "StorageNamespaceIndex");

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
     * The start-up refusal for gates set away from their default that the fake does not emulate, if any.
     *
     * @param gates parsed gates (upstream's own checks passed)
     * @return the message, naming each gate with the value asked for and its default
     */
    public static Optional<String> refusal(FeatureGates gates) {
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Boolean> e : gates.changed().entrySet()) {
            if (kind(e.getKey()) == Kind.DEFAULT_ONLY) {
                refused.add(e.getKey() + "=" + e.getValue());
            }
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        Set<String> named = new TreeSet<>(gates.explicit().keySet());
        String via = refused.stream().allMatch(r -> named.contains(r.substring(0, r.indexOf('='))))
                ? ""
                : " (set through "
                        + String.join(
                                ", ",
                                named.stream()
                                        .filter(g -> g.equals("AllAlpha") || g.equals("AllBeta"))
                                        .toList())
                        + ")";
        return Optional.of(
                "--feature-gates: " + String.join(",", refused) + via + (refused.size() == 1 ? " is" : " are")
                        + " not emulated by this fake apiserver, which runs "
                        + (refused.size() == 1 ? "this gate at its default" : "these gates at their defaults")
                        + " (see fake-apiserver/README.md, Feature gates); refusing to start rather than ignore "
                        + (refused.size() == 1 ? "it" : "them"));
    }

    /**
     * The start-up refusal of an emulated release the fake does not serve: kube-apiserver v1.34.4 accepts 1.31 to
     * 1.33, and then serves another API surface (at 1.33 already: no resource.k8s.io/v1, no storage.k8s.io/v1
     * volumeattributesclasses), which the fake does not have.
     */
    public static String emulationRefusal(FeatureGates gates) {
        return "--emulated-version=" + gates.emulationVersion() + " is not emulated by this fake apiserver: it serves"
                + " kube-apiserver v1.34's API surface only (at " + gates.emulationVersion()
                + " the reference serves other API versions and feature gate defaults); refusing to start rather than"
                + " answer as 1.34";
    }
}
