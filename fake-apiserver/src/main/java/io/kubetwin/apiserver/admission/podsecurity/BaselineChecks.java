package io.kubetwin.apiserver.admission.podsecurity;

import static io.kubetwin.apiserver.admission.podsecurity.Check.containers;
import static io.kubetwin.apiserver.admission.podsecurity.Check.joinQuote;
import static io.kubetwin.apiserver.admission.podsecurity.Check.plural;
import static io.kubetwin.apiserver.admission.podsecurity.Check.since;
import static io.kubetwin.apiserver.admission.podsecurity.Check.sortedSet;

import io.kubetwin.apiserver.admission.podsecurity.PodView.Container;
import io.kubetwin.apiserver.admission.podsecurity.PodView.SeLinuxOptions;
import io.kubetwin.apiserver.admission.podsecurity.PodView.SecurityContext;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The baseline checks (pod-security-admission policy/check_*.go of level baseline), with the exact forbidden
 * reasons and details upstream builds. Each method mirrors the Go function of the same name.
 */
final class BaselineChecks {
    private BaselineChecks() {}

    static final String CAPABILITIES_BASELINE = "capabilities_baseline";
    static final String HOST_PATH_VOLUMES = "hostPathVolumes";
    static final String HOST_PROBES_AND_HOST_LIFECYCLE = "hostProbesAndHostLifecycle";
    static final String SECCOMP_PROFILE_BASELINE = "seccompProfile_baseline";

    static List<Check> all() {
        return List.of(
                Check.of("appArmorProfile", Level.BASELINE, since(0, BaselineChecks::appArmorProfile)),
                Check.of(CAPABILITIES_BASELINE, Level.BASELINE, since(0, BaselineChecks::capabilities)),
                Check.of("hostNamespaces", Level.BASELINE, since(0, BaselineChecks::hostNamespaces)),
                Check.of(HOST_PATH_VOLUMES, Level.BASELINE, since(0, BaselineChecks::hostPathVolumes)),
                Check.of("hostPorts", Level.BASELINE, since(0, BaselineChecks::hostPorts)),
                Check.of(
                        HOST_PROBES_AND_HOST_LIFECYCLE,
                        Level.BASELINE,
                        since(34, BaselineChecks::hostProbesAndHostLifecycle)),
                Check.of("privileged", Level.BASELINE, since(0, BaselineChecks::privileged)),
                Check.of("procMount", Level.BASELINE, since(0, BaselineChecks::procMount)),
                Check.of(
                        "seLinuxOptions",
                        Level.BASELINE,
                        since(0, p -> seLinuxOptions(p, SELINUX_TYPES_1_0)),
                        since(31, p -> seLinuxOptions(p, SELINUX_TYPES_1_31))),
                Check.of(
                        SECCOMP_PROFILE_BASELINE,
                        Level.BASELINE,
                        since(0, BaselineChecks::seccompProfileAnnotations),
                        since(19, BaselineChecks::seccompProfileFields)),
                Check.of(
                        "sysctls",
                        Level.BASELINE,
                        since(0, p -> sysctls(p, SYSCTLS_1_0)),
                        since(27, p -> sysctls(p, SYSCTLS_1_27)),
                        since(29, p -> sysctls(p, SYSCTLS_1_29)),
                        since(32, p -> sysctls(p, SYSCTLS_1_32))),
                Check.of("windowsHostProcess", Level.BASELINE, since(0, BaselineChecks::windowsHostProcess)));
    }

    /** The names of the containers for which {@code bad} holds, in visiting order. */
    static List<String> names(PodView pod, Function<Container, Boolean> bad) {
        List<String> names = new ArrayList<>();
        for (Container c : pod.containers()) {
            if (bad.apply(c)) {
                names.add(c.name());
            }
        }
        return names;
    }

    static CheckResult hostNamespaces(PodView pod) {
        List<String> set = new ArrayList<>();
        if (pod.hostNetwork()) {
            set.add("hostNetwork=true");
        }
        if (pod.hostPID()) {
            set.add("hostPID=true");
        }
        if (pod.hostIPC()) {
            set.add("hostIPC=true");
        }
        return set.isEmpty() ? CheckResult.ALLOWED : CheckResult.forbidden("host namespaces", String.join(", ", set));
    }

    static CheckResult privileged(PodView pod) {
        List<String> bad = names(
                pod,
                c -> c.securityContext() != null
                        && Boolean.TRUE.equals(c.securityContext().privileged()));
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "privileged", containers(bad) + " must not set securityContext.privileged=true");
    }

    private static final Set<String> CAPABILITIES_ALLOWED = Set.of(
            "AUDIT_WRITE",
            "CHOWN",
            "DAC_OVERRIDE",
            "FOWNER",
            "FSETID",
            "KILL",
            "MKNOD",
            "NET_BIND_SERVICE",
            "SETFCAP",
            "SETGID",
            "SETPCAP",
            "SETUID",
            "SYS_CHROOT");

    static CheckResult capabilities(PodView pod) {
        TreeSet<String> nonDefault = sortedSet();
        List<String> bad = names(pod, c -> {
            if (c.securityContext() == null || c.securityContext().capabilities() == null) {
                return false;
            }
            boolean valid = true;
            for (String cap : c.securityContext().capabilities().add()) {
                if (!CAPABILITIES_ALLOWED.contains(cap)) {
                    valid = false;
                    nonDefault.add(cap);
                }
            }
            return !valid;
        });
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "non-default capabilities",
                        containers(bad) + " must not include " + joinQuote(nonDefault)
                                + " in securityContext.capabilities.add");
    }

    static CheckResult hostPathVolumes(PodView pod) {
        List<String> hostVolumes = new ArrayList<>();
        for (PodView.Volume v : pod.volumes()) {
            if (v.sources().contains("hostPath")) {
                hostVolumes.add(v.name());
            }
        }
        return hostVolumes.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "hostPath volumes",
                        plural("volume", "volumes", hostVolumes.size()) + " " + joinQuote(hostVolumes));
    }

    static CheckResult hostPorts(PodView pod) {
        // the ports sort as strings, as Go's sets.String does
        TreeSet<String> ports = sortedSet();
        List<String> bad = names(pod, c -> {
            boolean valid = true;
            for (int p : c.hostPorts()) {
                if (p != 0) {
                    valid = false;
                    ports.add(Integer.toString(p));
                }
            }
            return !valid;
        });
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "hostPort",
                        containers(bad) + " " + plural("uses", "use", bad.size()) + " "
                                + plural("hostPort", "hostPorts", ports.size()) + " " + String.join(", ", ports));
    }

    static CheckResult hostProbesAndHostLifecycle(PodView pod) {
        // here, unlike elsewhere, the containers are listed sorted and once each
        TreeSet<String> bad = sortedSet();
        TreeSet<String> hosts = sortedSet();
        for (Container c : pod.containers()) {
            if (!c.probeHosts().isEmpty()) {
                bad.add(c.name());
                hosts.addAll(c.probeHosts());
            }
        }
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "probe or lifecycle host",
                        plural("container", "containers", bad.size()) + " " + joinQuote(bad) + " "
                                + plural("uses", "use", bad.size()) + " "
                                + plural("probe or lifecycle host", "probe or lifecycle hosts", hosts.size())
                                + " " + joinQuote(hosts));
    }

    private static final String APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

    static CheckResult appArmorProfile(PodView pod) {
        List<String> badSetters = new ArrayList<>();
        TreeSet<String> badValues = sortedSet();
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.appArmorProfileType() != null && !allowedProfileType(podSc.appArmorProfileType())) {
            badSetters.add("pod");
            badValues.add(podSc.appArmorProfileType());
        }
        List<String> bad = names(pod, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.appArmorProfileType() != null && !allowedProfileType(sc.appArmorProfileType())) {
                badValues.add(sc.appArmorProfileType());
                return true;
            }
            return false;
        });
        if (!bad.isEmpty()) {
            badSetters.add(containers(bad));
        }
        List<String> forbiddenAnnotations = new ArrayList<>();
        for (Map.Entry<String, String> a : pod.annotations().entrySet()) {
            String v = a.getValue();
            boolean allowed = v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/");
            if (a.getKey().startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowed) {
                forbiddenAnnotations.add(a.getKey() + "=" + GoText.quote(v));
            }
        }
        List<String> badValueList = new ArrayList<>(badValues);
        if (!forbiddenAnnotations.isEmpty()) {
            forbiddenAnnotations.sort(GoText.ORDER);
            badValueList.addAll(forbiddenAnnotations);
            badSetters.add(plural("annotation", "annotations", forbiddenAnnotations.size()));
        }
        return badSetters.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        plural("forbidden AppArmor profile", "forbidden AppArmor profiles", badValueList.size()),
                        String.join(" and ", badSetters) + " must not set AppArmor profile type to "
                                + joinQuote(badValueList));
    }

    private static boolean allowedProfileType(String type) {
        return "RuntimeDefault".equals(type) || "Localhost".equals(type);
    }

    private static final Set<String> SELINUX_TYPES_1_0 =
            Set.of("", "container_t", "container_init_t", "container_kvm_t");
    private static final Set<String> SELINUX_TYPES_1_31 =
            Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

    static CheckResult seLinuxOptions(PodView pod, Set<String> allowedTypes) {
        TreeSet<String> badTypes = sortedSet();
        boolean[] setUserRole = new boolean[2];
        Function<SeLinuxOptions, Boolean> valid = o -> {
            boolean ok = true;
            if (!allowedTypes.contains(o.type())) {
                ok = false;
                badTypes.add(o.type());
            }
            if (!o.user().isEmpty()) {
                ok = false;
                setUserRole[0] = true;
            }
            if (!o.role().isEmpty()) {
                ok = false;
                setUserRole[1] = true;
            }
            return ok;
        };
        List<String> badSetters = new ArrayList<>();
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.seLinuxOptions() != null && !valid.apply(podSc.seLinuxOptions())) {
            badSetters.add("pod");
        }
        List<String> bad = names(
                pod,
                c -> c.securityContext() != null
                        && c.securityContext().seLinuxOptions() != null
                        && !valid.apply(c.securityContext().seLinuxOptions()));
        if (!bad.isEmpty()) {
            badSetters.add(containers(bad));
        }
        if (badSetters.isEmpty()) {
            return CheckResult.ALLOWED;
        }
        List<String> badData = new ArrayList<>();
        if (!badTypes.isEmpty()) {
            badData.add(plural("type", "types", badTypes.size()) + " " + joinQuote(badTypes));
        }
        if (setUserRole[0]) {
            badData.add("user may not be set");
        }
        if (setUserRole[1]) {
            badData.add("role may not be set");
        }
        return CheckResult.forbidden(
                "seLinuxOptions",
                String.join(" and ", badSetters) + " set forbidden securityContext.seLinuxOptions: "
                        + String.join("; ", badData));
    }

    static CheckResult procMount(PodView pod) {
        // the relaxation for user-namespace pods is behind the UserNamespacesPodSecurityStandards gate, off in v1.34
        TreeSet<String> types = sortedSet();
        List<String> bad = names(pod, c -> {
            SecurityContext sc = c.securityContext();
            if (sc == null || sc.procMount() == null || sc.procMount().equals("Default")) {
                return false;
            }
            types.add(sc.procMount());
            return true;
        });
        return bad.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "procMount",
                        containers(bad) + " must not set securityContext.procMount to " + joinQuote(types));
    }

    private static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    private static final String SECCOMP_CONTAINER_ANNOTATION_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    static CheckResult seccompProfileAnnotations(PodView pod) {
        TreeSet<String> forbidden = sortedSet();
        checkSeccompAnnotation(pod, SECCOMP_POD_ANNOTATION, forbidden);
        for (Container c : pod.containers()) {
            checkSeccompAnnotation(pod, SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name(), forbidden);
        }
        return forbidden.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "seccompProfile",
                        "forbidden " + plural("annotation", "annotations", forbidden.size()) + " "
                                + String.join(", ", forbidden));
    }

    private static void checkSeccompAnnotation(PodView pod, String key, TreeSet<String> forbidden) {
        String v = pod.annotations().get(key);
        if (v != null && !(v.equals("runtime/default") || v.equals("docker/default") || v.startsWith("localhost/"))) {
            forbidden.add(key + "=" + GoText.quote(v));
        }
    }

    static boolean validSeccomp(String type) {
        return "Localhost".equals(type) || "RuntimeDefault".equals(type);
    }

    static CheckResult seccompProfileFields(PodView pod) {
        List<String> badSetters = new ArrayList<>();
        TreeSet<String> badValues = sortedSet();
        SecurityContext podSc = pod.securityContext();
        if (podSc != null && podSc.seccompProfileType() != null && !validSeccomp(podSc.seccompProfileType())) {
            badSetters.add("pod");
            badValues.add(podSc.seccompProfileType());
        }
        List<String> bad = names(pod, c -> {
            SecurityContext sc = c.securityContext();
            if (sc != null && sc.seccompProfileType() != null && !validSeccomp(sc.seccompProfileType())) {
                badValues.add(sc.seccompProfileType());
                return true;
            }
            return false;
        });
        if (!bad.isEmpty()) {
            badSetters.add(containers(bad));
        }
        return badSetters.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "seccompProfile",
                        String.join(" and ", badSetters) + " must not set securityContext.seccompProfile.type to "
                                + joinQuote(badValues));
    }

    private static final Set<String> SYSCTLS_1_0 = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_unprivileged_port_start");
    private static final Set<String> SYSCTLS_1_27 = union(SYSCTLS_1_0, "net.ipv4.ip_local_reserved_ports");
    private static final Set<String> SYSCTLS_1_29 = union(
            SYSCTLS_1_27,
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SYSCTLS_1_32 = union(SYSCTLS_1_29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");

    private static Set<String> union(Set<String> base, String... more) {
        Set<String> s = new java.util.HashSet<>(base);
        s.addAll(List.of(more));
        return Set.copyOf(s);
    }

    static CheckResult sysctls(PodView pod, Set<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        if (pod.securityContext() != null) {
            for (String s : pod.securityContext().sysctls()) {
                if (!allowed.contains(s)) {
                    forbidden.add(s);
                }
            }
        }
        return forbidden.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden("forbidden sysctls", String.join(", ", forbidden));
    }

    static CheckResult windowsHostProcess(PodView pod) {
        List<String> bad = names(
                pod,
                c -> c.securityContext() != null
                        && Boolean.TRUE.equals(c.securityContext().windowsHostProcess()));
        List<String> setters = new ArrayList<>();
        if (pod.securityContext() != null
                && Boolean.TRUE.equals(pod.securityContext().windowsHostProcess())) {
            setters.add("pod");
        }
        if (!bad.isEmpty()) {
            setters.add(containers(bad));
        }
        return setters.isEmpty()
                ? CheckResult.ALLOWED
                : CheckResult.forbidden(
                        "hostProcess",
                        String.join(" and ", setters)
                                + " must not set securityContext.windowsOptions.hostProcess=true");
    }
}
