package io.kubetwin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fake kube-apiserver for this test class, with the common settings as attributes:
 * <pre>{@code
 * @KubeTwin(
 *         users = @User(name = "alice", groups = "dev"),
 *         serviceAccounts = @ServiceAccount(namespace = "team", name = "operator"),
 *         preload = "rbac.yaml",
 *         auditPolicy = "audit-policy.yaml")
 * class AliceTest {
 *     @Test
 *     void aliceCannotCreatePods(@Actor("alice") KubernetesClient alice, AuditTrail audit) { ... }
 * }
 * }</pre>
 * The defaults are a hardened cluster's: RBAC, the v1.34 bootstrap policy, 127.0.0.1 and a free port, an in-memory
 * PKI. For what the attributes do not cover, register a {@link KubeTwinExtension} made by
 * {@link KubeTwinExtension#builder()} instead.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(KubeTwinExtension.class)
public @interface KubeTwin {
    /**
     * {@code --authorization-mode}, in order: {@code RBAC}, {@code AlwaysAllow}, {@code AlwaysDeny}.
     *
     * @return the modes, RBAC by default
     */
    String[] authorizationModes() default {"RBAC"};

    /**
     * {@code --anonymous-auth}: whether requests without credentials act as {@code system:anonymous}.
     *
     * @return true by default, as kube-apiserver
     */
    boolean anonymousAuth() default true;

    /**
     * {@code --allow-privileged}: whether pods and pod templates may have privileged containers. False, as
     * kube-apiserver's default: they are refused in validation with {@code disallowed by cluster policy} (kubeadm's
     * clusters set it to true).
     *
     * @return false by default, as kube-apiserver
     */
    boolean allowPrivileged() default false;

    /**
     * An {@code audit.k8s.io/v1} Policy, as a classpath resource; the events go to a log file that
     * {@link AuditTrail} reads. Empty: no auditing (as kube-apiserver without {@code --audit-policy-file}).
     *
     * @return the resource path, empty by default
     */
    String auditPolicy() default "";

    /**
     * Classpath resources of Kubernetes objects (YAML or JSON, several documents per file, {@code List} objects),
     * created by the admin in order once the server runs, before any actor is provisioned.
     *
     * @return the resource paths, none by default
     */
    String[] preload() default {};

    /**
     * User actors, each with its own kubeconfig file.
     *
     * @return the users, none by default
     */
    User[] users() default {};

    /**
     * Service-account actors, each with a token and its own kubeconfig file.
     *
     * @return the service accounts, none by default
     */
    ServiceAccount[] serviceAccounts() default {};

    /**
     * {@code --enable-admission-plugins}: plugins to run besides kube-apiserver's defaults.
     *
     * @return plugin names, none by default
     */
    String[] enableAdmissionPlugins() default {};

    /**
     * {@code --disable-admission-plugins}: default plugins not to run.
     *
     * @return plugin names, none by default
     */
    String[] disableAdmissionPlugins() default {};

    /**
     * {@code --admission-control-config-file}, as a classpath resource (an AdmissionConfiguration).
     *
     * @return the resource path, empty by default
     */
    String admissionConfiguration() default "";

    /**
     * Fake kubelets registered as these nodes (see {@link KubeTwinNode}); they need the Node authorizer:
     * {@code authorizationModes = {"Node", "RBAC"}}.
     *
     * @return node names, none by default
     */
    String[] nodes() default {};

    /**
     * {@code --feature-gates}: {@code Name=true|false} pairs, as kube-apiserver v1.34.4 parses them (unknown gates,
     * bad values and gates locked to their default are refused with its message). Gates the fake honours, and gates
     * with no effect a client can see, may take either value; any other gate only its default (the fake refuses to
     * start rather than pretend): see fake-apiserver/README.md, "Feature gates".
     *
     * @return the pairs (one per element, or comma-separated), none by default
     */
    String[] featureGates() default {};

    /**
     * {@code --emulated-version}: the release the server emulates, {@code major.minor} or {@code kube=major.minor}.
     * kube-apiserver v1.34.4 accepts 1.31 to 1.34; the fake serves each release's recorded API surface, and refuses to
     * start while a gate whose default at that release differs from 1.34's is not emulated (the message names them;
     * set them to 1.34's values with {@link #featureGates()} where the release allows it).
     *
     * @return the release, empty by default (the binary's own, 1.34)
     */
    String emulatedVersion() default "";

    /**
     * One server per class or per test method.
     *
     * @return {@link Lifecycle#PER_CLASS} by default
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;
}
