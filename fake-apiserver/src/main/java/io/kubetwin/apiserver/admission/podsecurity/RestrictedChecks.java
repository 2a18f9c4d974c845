package io.kubetwin.apiserver.admission.podsecurity;

import static io.kubetwin.apiserver.admission.podsecurity.BaselineChecks.names;
import static io.kubetwin.apiserver.admission.podsecurity.Check.containers;
import static io.kubetwin.apiserver.admission.podsecurity.Check.joinQuote;
import static io.kubetwin.apiserver.admission.podsecurity.Check.plural;
import static io.kubetwin.apiserver.admission.podsecurity.Check.since;
import static io.kubetwin.apiserver.admission.podsecurity.Check.sortedSet;

import io.kubetwin.apiserver.admission.podsecurity.PodView.Container;
import io.kubetwin.apiserver.admission.podsecurity.PodView.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The restricted checks (pod-security-admission policy/check_*.go of level restricted), some of which replace
 * a baseline check from their first version on. The relaxations for user-namespace pods are behind the
 * UserNamespacesPodSecurityStandards gate, off in v1.34, and are not emulated.
 */
final class RestrictedChecks {
    private RestrictedChecks() {}

    static List<Check> all() {
        return List.of(
                Check.of(
                        "allowPrivilegeEscalation",
                        Level.RESTRICTED,
                        since(8, RestrictedChecks::allowPrivilegeEscalation),
                        since(25, notOnWindows(RestrictedChecks::allowPrivilegeEscalation))),
                Check.of(
                        "capabilities_restricted",
                        Level.RESTRICTED,
                        since(22, RestrictedChecks::capabilities, BaselineChecks.CAPABILITIES_BASELINE),
                        since(25, notOnWindows(RestrictedChecks::capabilities), BaselineChecks.CAPABILITIES_BASELINE)),
                Check.of(
                        "restrictedVolumes",
                        Level.RESTRICTED,
                        since(0, RestrictedChecks::volumes, BaselineChecks.HOST_PATH_VOLUMES)),
                Check.of("runAsNonRoot", Level.RESTRICTED, since(0, RestrictedChecks::runAsNonRoot)),
                Check.of("runAsUser", Level.RESTRICTED, since(23, RestrictedChecks::runAsUser)),
                Check.of(
                        "seccompProfile_restricted",
                        Level.RESTRICTED,
                        since(19, RestrictedChecks::seccompProfile, BaselineChecks.SECCOMP_PROFILE_BASELINE),
                        since(
                                25,
                                notOnWindows(RestrictedChecks::seccompProfile),
                                BaselineChecks.SECCOMP_PROFILE_BASELINE)));
    }

    /** The 1.25 revisions: Windows pods ({@code spec.os.name: windows}) pass. */
    private static Function<PodView, CheckResult> notOnWindows(Function<PodView, CheckResult> check) {
        return pod -> "windows".equals(pod.osName()) ? CheckResult.ALLOWED : check.apply(pod);
    }

    static CheckResult allowPrivilegeEscalation(PodView pod) {
        List<String> bad = names(
                pod,
                c -> c.securityContext() == null
                        || c.securityContext().allowPrivilegeEscalation() == null
                        || c.securityContext().allowPrivilegeEscalation());
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "allowPrivilegeEscalation != false",
                        containers(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }

    static CheckResult capabilities(PodView pod) {
        List<String> missingDropAll = new ArrayList<>();
        List<String> addingForbidden = new ArrayList<>();
        TreeSet<String> forbidden = sortedSet();
        for (Container c : pod.containers()) {
            SecurityContext sc = c.securityContext();
            if (sc == null || sc.capabilities() == null) {
                missingDropAll.add(c.name());
                continue;
            }
            if (!sc.capabilities().drop().contains("ALL")) {
                missingDropAll.add(c.name());
            }
            boolean added = false;
            for (String cap : sc.capabilities().add()) {
                if (!cap.equals("NET_BIND_SERVICE")) {
                    added = true;
                    forbidden.add(cap);
                }
            }
            if (added) {
                addingForbidden.add(c.name());
            }
        }
        List<String> details = new ArrayList<>();
        if (!missingDropAll.isEmpty()) {
            details.add(containers(missingDropAll) + " must set securityContext.capabilities.drop=[\"ALL\"]");
        }
        if (!addingForbidden.isEmpty()) {
            details.add(containers(addingForbidden) + " must not include " + joinQuote(forbidden)
                    + " in securityContext.capabilities.add");
        }
        return details.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden("unrestricted capabilities", String.join("; ", details));
    }

    private static final Set<String> ALLOWED_VOLUMES = Set.of(
            "configMap",
            "csi",
            "downwardAPI",
            "emptyDir",
            "ephemeral",
            "image",
            "persistentVolumeClaim",
            "projected",
            "secret");

    /** The restricted sources upstream names, in the order its switch tests them. */
    private static final List<String> NAMED_VOLUMES = List.of(
            "hostPath",
            "gcePersistentDisk",
            "awsElasticBlockStore",
            "gitRepo",
            "nfs",
            "iscsi",
            "glusterfs",
            "rbd",
            "flexVolume",
            "cinder",
            "cephfs",
            "flocker",
            "fc",
            "azureFile",
            "vsphereVolume",
            "quobyte",
            "azureDisk",
            "photonPersistentDisk",
            "portworxVolume",
            "scaleIO",
            "storageos");

    static CheckResult volumes(PodView pod) {
        List<String> bad = new ArrayList<>();
        TreeSet<String> types = sortedSet();
        for (PodView.Volume v : pod.volumes()) {
            if (v.sources().stream().anyMatch(ALLOWED_VOLUMES::contains)) {
                continue;
            }
            bad.add(v.name());
            types.add(NAMED_VOLUMES.stream()
                    .filter(v.sources()::contains)
                    .findFirst()
                    .orElse("unknown"));
        }
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "restricted volume types",
                        plural("volume", "volumes", bad.size()) + " " + joinQuote(bad) + " "
                                + plural("uses", "use", bad.size()) + " "
                                + plural("restricted volume type", "restricted volume types", types.size()) + " "
                                + joinQuote(types));
    }

    static CheckResult runAsNonRoot(PodView pod) {
        List<String> badSetters = new ArrayList<>();
        boolean podRunAsNonRoot = false;
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.runAsNonRoot() != null) {
            if (!podSc.runAsNonRoot()) {
                badSetters.add("pod");
            } else {
                podRunAsNonRoot = true;
            }
        }
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        for (Container c : pod.containers()) {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.runAsNonRoot() != null) {
                if (!sc.runAsNonRoot()) {
                    explicitlyBad.add(c.name());
                }
            } else if (!podRunAsNonRoot) {
                implicitlyBad.add(c.name());
            }
        }
        if (!explicitlyBad.isEmpty()) {
            badSetters.add(containers(explicitlyBad));
        }
        if (!badSetters.isEmpty()) {
            return CheckResult.forbidden(
                    "runAsNonRoot != true",
                    String.join(" and ", badSetters) + " must not set securityContext.runAsNonRoot=false");
        }
        if (!implicitlyBad.isEmpty()) {
            return CheckResult.forbidden(
                    "runAsNonRoot != true",
                    "pod or " + containers(implicitlyBad) + " must set securityContext.runAsNonRoot=true");
        }
        return CheckResult.ALLOWED;
    }

    static CheckResult runAsUser(PodView pod) {
        List<String> badSetters = new ArrayList<>();
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.runAsUser() != null && podSc.runAsUser() == 0) {
            badSetters.add("pod");
        }
        List<String> bad = names(
                pod,
                c -> c.securityContext() != null
                        && c.securityContext().runAsUser() != null
                        && c.securityContext().runAsUser() == 0);
        if (!bad.isEmpty()) {
            badSetters.add(containers(bad));
        }
        return badSetters.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden("runAsUser=0", String.join(" and ", badSetters) + " must not set runAsUser=0");
    }

    static CheckResult seccompProfile(PodView pod) {
        List<String> badSetters = new ArrayList<>();
        TreeSet<String> badValues = sortedSet();
        boolean podSeccompSet = false;
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.seccompProfileType() != null) {
            if (!BaselineChecks.validSeccomp(podSc.seccompProfileType())) {
                badSetters.add("pod");
                badValues.add(podSc.seccompProfileType());
            } else {
                podSeccompSet = true;
            }
        }
        List<String> explicitlyBad = new ArrayList<>();
        List<String> implicitlyBad = new ArrayList<>();
        for (Container c : pod.containers()) {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.seccompProfileType() != null) {
                if (!BaselineChecks.validSeccomp(sc.seccompProfileType())) {
                    explicitlyBad.add(c.name());
                    badValues.add(sc.seccompProfileType());
                }
            } else if (!podSeccompSet) {
                implicitlyBad.add(c.name());
            }
        }
        if (!explicitlyBad.isEmpty()) {
            badSetters.add(containers(explicitlyBad));
        }
        if (!badSetters.isEmpty()) {
            return CheckResult.forbidden(
                    "seccompProfile",
                    String.join(" and ", badSetters) + " must not set securityContext.seccompProfile.type to "
                            + joinQuote(badValues));
        }
        if (!implicitlyBad.isEmpty()) {
            return CheckResult.forbidden(
                    "seccompProfile",
                    "pod or " + containers(implicitlyBad)
                            + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
        }
        return CheckResult.ALLOWED;
    }
}
