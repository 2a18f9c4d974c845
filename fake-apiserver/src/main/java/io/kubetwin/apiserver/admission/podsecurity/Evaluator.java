package io.kubetwin.apiserver.admission.podsecurity;

import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Evaluates a pod at a level and version (policy/registry.go checkRegistry): baseline runs the baseline checks
 * in force at the version; restricted runs those not overridden by a restricted check, then the restricted
 * checks. Within each level the checks run in ID order, which fixes the order of the reasons in every text.
 * Versions newer than the newest check revision (and {@code latest}) evaluate as that newest one.
 */
public final class Evaluator {

    private final List<Check> baseline;
    private final List<Check> restricted;
    private final int maxVersion;

    Evaluator(List<Check> checks) {
        Comparator<Check> byId = Comparator.comparing(Check::id, GoText.ORDER);
        this.baseline = checks.stream()
                .filter(c -> c.level() == Level.BASELINE)
                .sorted(byId)
                .toList();
        this.restricted = checks.stream()
                .filter(c -> c.level() == Level.RESTRICTED)
                .sorted(byId)
                .toList();
        this.maxVersion = checks.stream()
                .mapToInt(c -> c.versions().get(c.versions().size() - 1).minimumVersion())
                .max()
                .orElse(0);
    }

    /** The checks of kube-apiserver v1.34 (policy.DefaultChecks). */
    public static Evaluator defaultChecks() {
        return defaultChecks(true);
    }

    /**
     * The checks of kube-apiserver v1.34 with the ProbeHostPodSecurityStandards gate as given: off (an emulated
     * release before 1.34), the hostProbesAndHostLifecycle check is not registered, whatever the policy version.
     */
    public static Evaluator defaultChecks(boolean probeHost) {
        List<Check> all = new ArrayList<>(BaselineChecks.all());
        if (!probeHost) {
            all.removeIf(c -> c.id().equals(BaselineChecks.HOST_PROBES_AND_HOST_LIFECYCLE));
        }
        all.addAll(RestrictedChecks.all());
        return new Evaluator(all);
    }

    public AggregateResult evaluate(LevelVersion lv, PodView pod) {
        if (lv.level() == Level.PRIVILEGED) {
            return AggregateResult.of(List.of());
        }
        int v = lv.version().latest() ? maxVersion : Math.min(lv.version().minor(), maxVersion);
        List<Function<PodView, CheckResult>> run = new ArrayList<>();
        Set<String> overridden = new HashSet<>();
        if (lv.level() == Level.RESTRICTED) {
            for (Check c : restricted) {
                Check.Versioned r = c.at(v);
                if (r != null) {
                    overridden.addAll(r.overrides());
                }
            }
        }
        for (Check c : baseline) {
            Check.Versioned r = c.at(v);
            if (r != null && !overridden.contains(c.id())) {
                run.add(r.check());
            }
        }
        if (lv.level() == Level.RESTRICTED) {
            for (Check c : restricted) {
                Check.Versioned r = c.at(v);
                if (r != null) {
                    run.add(r.check());
                }
            }
        }
        List<CheckResult> results = new ArrayList<>();
        for (Function<PodView, CheckResult> f : run) {
            results.add(f.apply(pod));
        }
        return AggregateResult.of(results);
    }
}
