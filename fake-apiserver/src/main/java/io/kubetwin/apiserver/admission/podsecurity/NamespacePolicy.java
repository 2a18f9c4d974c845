package io.kubetwin.apiserver.admission.podsecurity;

import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The enforce, audit and warn levels in effect for a namespace (pod-security-admission api/helpers.go Policy
 * and PolicyToEvaluate): the {@code pod-security.kubernetes.io/<mode>[-version]} labels over the configured
 * defaults. An invalid enforce level enforces restricted; an invalid audit or warn level falls back to
 * privileged (fail open); an invalid version is latest. Without its own label, warn follows a stricter
 * enforce label.
 */
public record NamespacePolicy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {

    static final String PREFIX = "pod-security.kubernetes.io/";
    static final String ENFORCE = PREFIX + "enforce";
    static final String ENFORCE_VERSION = PREFIX + "enforce-version";
    static final String AUDIT = PREFIX + "audit";
    static final String AUDIT_VERSION = PREFIX + "audit-version";
    static final String WARN = PREFIX + "warn";
    static final String WARN_VERSION = PREFIX + "warn-version";

    public static final NamespacePolicy PRIVILEGED = new NamespacePolicy(
            LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST, LevelVersion.PRIVILEGED_LATEST);

    /** A namespace's policy and the errors of its labels (empty when they are valid). */
    public record Evaluated(NamespacePolicy policy, List<FieldError> errors) {}

    public static Evaluated fromLabels(Map<String, String> labels, NamespacePolicy defaults) {
        if (labels.isEmpty()) {
            return new Evaluated(defaults, List.of());
        }
        List<FieldError> errs = new ArrayList<>();
        Level enforceLevel = defaults.enforce.level();
        PolicyVersion enforceVersion = defaults.enforce.version();
        Level auditLevel = defaults.audit.level();
        PolicyVersion auditVersion = defaults.audit.version();
        Level warnLevel = defaults.warn.level();
        PolicyVersion warnVersion = defaults.warn.version();
        boolean hasEnforceLevel = false;
        if (labels.containsKey(ENFORCE)) {
            Optional<Level> l = level(labels, ENFORCE, errs);
            enforceLevel = l.orElse(Level.RESTRICTED);
            hasEnforceLevel = l.isPresent();
        }
        if (labels.containsKey(ENFORCE_VERSION)) {
            enforceVersion = version(labels, ENFORCE_VERSION, errs);
        }
        if (labels.containsKey(AUDIT)) {
            auditLevel = level(labels, AUDIT, errs).orElse(Level.PRIVILEGED);
        }
        if (labels.containsKey(AUDIT_VERSION)) {
            auditVersion = version(labels, AUDIT_VERSION, errs);
        }
        boolean hasWarnLevel = labels.containsKey(WARN);
        if (hasWarnLevel) {
            warnLevel = level(labels, WARN, errs).orElse(Level.PRIVILEGED);
        }
        boolean hasWarnVersion = labels.containsKey(WARN_VERSION);
        if (hasWarnVersion) {
            warnVersion = version(labels, WARN_VERSION, errs);
        }
        if (!hasWarnLevel && hasEnforceLevel && enforceLevel.compare(warnLevel) > 0) {
            warnLevel = enforceLevel;
            if (!hasWarnVersion) {
                warnVersion = enforceVersion;
            }
        }
        return new Evaluated(
                new NamespacePolicy(
                        new LevelVersion(enforceLevel, enforceVersion),
                        new LevelVersion(auditLevel, auditVersion),
                        new LevelVersion(warnLevel, warnVersion)),
                List.copyOf(errs));
    }

    private static Optional<Level> level(Map<String, String> labels, String key, List<FieldError> errs) {
        String value = labels.get(key);
        Optional<Level> l = Level.parse(value);
        if (l.isEmpty()) {
            errs.add(FieldError.invalid(labelPath(key), value, Level.INVALID));
        }
        return l;
    }

    private static PolicyVersion version(Map<String, String> labels, String key, List<FieldError> errs) {
        String value = labels.get(key);
        Optional<PolicyVersion> v = PolicyVersion.parse(value);
        if (v.isEmpty()) {
            errs.add(FieldError.invalid(labelPath(key), value, PolicyVersion.INVALID));
        }
        return v.orElse(PolicyVersion.LATEST);
    }

    private static String labelPath(String key) {
        return "metadata.labels[" + key + "]";
    }

    public boolean fullyPrivileged() {
        return enforce.level() == Level.PRIVILEGED
                && audit.level() == Level.PRIVILEGED
                && warn.level() == Level.PRIVILEGED;
    }

    boolean equivalent(NamespacePolicy other) {
        return enforce.equivalent(other.enforce) && audit.equivalent(other.audit) && warn.equivalent(other.warn);
    }
}
