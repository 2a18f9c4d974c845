package io.kubetwin.apiserver.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Pod Security Standards checks on pods written as flow YAML, with the exact details upstream's
 * policy/check_*.go build (pluralisation, quoting, sorting, check order, versions).
 */
class PodSecurityChecksTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Evaluator evaluator = Evaluator.defaultChecks();

    private String detail(String levelVersion, String podYaml) throws Exception {
        JsonNode pod = YAML.readTree(podYaml);
        String[] lv = levelVersion.split(":");
        LevelVersion policy = new LevelVersion(
                Level.parse(lv[0]).orElseThrow(), PolicyVersion.parse(lv[1]).orElseThrow());
        return evaluator
                .evaluate(policy, PodView.of(pod.path("metadata"), pod.path("spec")))
                .forbiddenDetail();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            baseline:latest | {spec: {hostNetwork: true, hostIPC: true, containers: [{name: a}]}} | host namespaces (hostNetwork=true, hostIPC=true)
            baseline:latest | {spec: {containers: [{name: a, securityContext: {privileged: true}}]}} | privileged (container "a" must not set securityContext.privileged=true)
            baseline:latest | {spec: {initContainers: [{name: i, securityContext: {privileged: true}}], containers: [{name: a, securityContext: {privileged: true}}], ephemeralContainers: [{name: e, securityContext: {privileged: true}}]}} | privileged (containers "i", "a", "e" must not set securityContext.privileged=true)
            baseline:latest | {spec: {containers: [{name: a, securityContext: {capabilities: {add: [NET_RAW, CHOWN]}}}, {name: b, securityContext: {capabilities: {add: [BPF]}}}]}} | non-default capabilities (containers "a", "b" must not include "BPF", "NET_RAW" in securityContext.capabilities.add)
            baseline:latest | {spec: {volumes: [{name: x, hostPath: {path: /}}, {name: y, hostPath: {path: /etc}}], containers: [{name: a}]}} | hostPath volumes (volumes "x", "y")
            baseline:latest | {spec: {containers: [{name: a, ports: [{containerPort: 80, hostPort: 80}, {containerPort: 1000, hostPort: 1000}]}]}} | hostPort (container "a" uses hostPorts 1000, 80)
            baseline:latest | {spec: {containers: [{name: a, ports: [{containerPort: 80, hostPort: 80}]}, {name: b, ports: [{containerPort: 80, hostPort: 80}]}]}} | hostPort (containers "a", "b" use hostPort 80)
            baseline:latest | {metadata: {annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined}}, spec: {containers: [{name: a, securityContext: {appArmorProfile: {type: Unconfined}}}]}} | forbidden AppArmor profiles (container "a" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined"")
            baseline:latest | {metadata: {annotations: {container.apparmor.security.beta.kubernetes.io/a: localhost/x}}, spec: {securityContext: {appArmorProfile: {type: Localhost}}, containers: [{name: a}]}} |
            baseline:latest | {spec: {securityContext: {seLinuxOptions: {type: foo_t}}, containers: [{name: a, securityContext: {seLinuxOptions: {type: bar_t, user: u}}}]}} | seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: types "bar_t", "foo_t"; user may not be set)
            baseline:v1.30 | {spec: {containers: [{name: a, securityContext: {seLinuxOptions: {type: container_engine_t}}}]}} | seLinuxOptions (container "a" set forbidden securityContext.seLinuxOptions: type "container_engine_t")
            baseline:v1.31 | {spec: {containers: [{name: a, securityContext: {seLinuxOptions: {type: container_engine_t}}}]}} |
            baseline:latest | {spec: {containers: [{name: a, securityContext: {procMount: Unmasked}}, {name: b, securityContext: {procMount: Default}}]}} | procMount (container "a" must not set securityContext.procMount to "Unmasked")
            baseline:latest | {spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a, securityContext: {seccompProfile: {type: Unconfined}}}, {name: b, securityContext: {seccompProfile: {}}}]}} | seccompProfile (pod and containers "a", "b" must not set securityContext.seccompProfile.type to "", "Unconfined")
            baseline:v1.18 | {metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined, container.seccomp.security.alpha.kubernetes.io/a: docker/default, container.seccomp.security.alpha.kubernetes.io/b: x}}, spec: {containers: [{name: a}, {name: b}]}} | seccompProfile (forbidden annotations container.seccomp.security.alpha.kubernetes.io/b="x", seccomp.security.alpha.kubernetes.io/pod="unconfined")
            baseline:v1.18 | {spec: {securityContext: {seccompProfile: {type: Unconfined}}, containers: [{name: a}]}} |
            baseline:v1.26 | {spec: {securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports}, {name: kernel.shm_rmid_forced}]}, containers: [{name: a}]}} | forbidden sysctls (net.ipv4.ip_local_reserved_ports)
            baseline:v1.27 | {spec: {securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports}, {name: net.ipv4.tcp_fin_timeout}]}, containers: [{name: a}]}} | forbidden sysctls (net.ipv4.tcp_fin_timeout)
            baseline:v1.29 | {spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_wmem}, {name: net.ipv4.tcp_fin_timeout}]}, containers: [{name: a}]}} | forbidden sysctls (net.ipv4.tcp_wmem)
            baseline:v1.40 | {spec: {securityContext: {sysctls: [{name: net.ipv4.tcp_wmem}, {name: vm.swappiness}]}, containers: [{name: a}]}} | forbidden sysctls (vm.swappiness)
            baseline:latest | {spec: {securityContext: {windowsOptions: {hostProcess: true}}, containers: [{name: a, securityContext: {windowsOptions: {hostProcess: true}}}]}} | hostProcess (pod and container "a" must not set securityContext.windowsOptions.hostProcess=true)
            baseline:latest | {spec: {containers: [{name: b, startupProbe: {tcpSocket: {host: h2}}}, {name: a, lifecycle: {postStart: {httpGet: {host: h1}}}}]}} | probe or lifecycle host (containers "a", "b" use probe or lifecycle hosts "h1", "h2")
            baseline:v1.33 | {spec: {containers: [{name: a, livenessProbe: {httpGet: {host: h1}}}]}} |
            restricted:latest | {spec: {securityContext: {runAsNonRoot: true, seccompProfile: {type: Localhost}}, volumes: [{name: a, gitRepo: {}}, {name: b, csi: {}}, {name: c, foo: {}}, {name: d, hostPath: {}}], containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | restricted volume types (volumes "a", "c", "d" use restricted volume types "gitRepo", "hostPath", "unknown")
            restricted:latest | {spec: {securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, volumes: [{name: a, nfs: {}}], containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | restricted volume types (volume "a" uses restricted volume type "nfs")
            restricted:latest | {spec: {securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {runAsUser: 0, allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}}}, {name: b, securityContext: {runAsUser: 0, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false), runAsUser=0 (pod and containers "a", "b" must not set runAsUser=0)
            restricted:v1.22 | {spec: {securityContext: {runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} |
            restricted:v1.21 | {spec: {securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [NET_RAW]}}}]}} | non-default capabilities (container "a" must not include "NET_RAW" in securityContext.capabilities.add)
            restricted:v1.18 | {metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}, spec: {securityContext: {runAsNonRoot: true}, containers: [{name: a, securityContext: {allowPrivilegeEscalation: false}}]}} | seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")
            restricted:v1.7 | {spec: {containers: [{name: a}]}} | runAsNonRoot != true (pod or container "a" must set securityContext.runAsNonRoot=true)
            restricted:latest | {spec: {securityContext: {runAsNonRoot: false, seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}, {name: b, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | runAsNonRoot != true (pod and container "a" must not set securityContext.runAsNonRoot=false)
            restricted:latest | {spec: {securityContext: {seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}, {name: b, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}, {name: c, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | runAsNonRoot != true (pod or containers "b", "c" must set securityContext.runAsNonRoot=true)
            restricted:latest | {spec: {securityContext: {runAsNonRoot: true}, containers: [{name: a, securityContext: {seccompProfile: {type: Unconfined}, allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}, {name: b, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]}} | seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")
            restricted:latest | {spec: {securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, containers: [{name: a, securityContext: {allowPrivilegeEscalation: false, capabilities: {add: [SYS_ADMIN, NET_BIND_SERVICE]}}}, {name: b, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [BPF]}}}]}} | unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b" must not include "BPF", "SYS_ADMIN" in securityContext.capabilities.add)
            restricted:latest | {spec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: a}]}} |
            restricted:v1.24 | {spec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: a}]}} | allowPrivilegeEscalation != false (container "a" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "a" must set securityContext.capabilities.drop=["ALL"]), seccompProfile (pod or container "a" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
            privileged:latest | {spec: {hostPID: true, containers: [{name: a, securityContext: {privileged: true}}]}} |
            """)
    void forbiddenDetail(String levelVersion, String pod, String expected) throws Exception {
        assertEquals(expected == null ? "" : expected, detail(levelVersion, pod));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            privileged | v1.0 | true
            baseline | latest | true
            restricted | v1.22 | true
            Restricted | latest | false
            baseline | v1.01 | false
            baseline | 1.22 | false
            baseline | v2.0 | false
            """)
    void levelsAndVersionsParseAsUpstream(String level, String version, boolean valid) {
        assertEquals(
                valid,
                Level.parse(level).isPresent() && PolicyVersion.parse(version).isPresent());
    }

    @org.junit.jupiter.api.Test
    void latestIsNewerThanEveryVersion() {
        assertTrue(PolicyVersion.LATEST.compareTo(PolicyVersion.of(999)) > 0);
        assertEquals("restricted:v1.22", new LevelVersion(Level.RESTRICTED, PolicyVersion.of(22)).toString());
    }
}
