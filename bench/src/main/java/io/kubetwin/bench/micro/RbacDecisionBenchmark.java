package io.kubetwin.bench.micro;

import io.kubetwin.apiserver.authz.rbac.BootstrapPolicy;
import io.kubetwin.apiserver.authz.rbac.PolicyRule;
import io.kubetwin.apiserver.authz.rbac.RbacAuthorizer;
import io.kubetwin.apiserver.authz.rbac.RbacPolicyIndex;
import io.kubetwin.apiserver.authz.rbac.Role;
import io.kubetwin.apiserver.authz.rbac.RoleBinding;
import io.kubetwin.apiserver.authz.rbac.RoleRef;
import io.kubetwin.apiserver.authz.rbac.Subject;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One RBAC decision ({@link RbacAuthorizer#authorize}) over the v1.34 bootstrap policy plus {@code bindings}
 * RoleBindings of other users in the request's namespace: an allowed GET (the user's own binding) and a denied one
 * (no binding: every rule is walked).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RbacDecisionBenchmark {
    @Param({"10", "1000", "10000"})
    public int bindings;

    private RbacAuthorizer authorizer;
    private Attributes allowed;
    private Attributes denied;

    @Setup
    public void setUp() {
        RbacPolicyIndex index = RbacPolicyIndex.of(BootstrapPolicy.load().objectsWithAggregatedRules());
        index.put(Role.of("bench", "reader", PolicyRule.rule("get", "", "configmaps")));
        index.put(RoleBinding.of("bench", "bench-user", RoleRef.role("reader"), Subject.user("bench-user")));
        for (int i = 0; i < bindings; i++) {
            index.put(RoleBinding.of("bench", "other-" + i, RoleRef.role("reader"), Subject.user("other-" + i)));
        }
        authorizer = new RbacAuthorizer(index);
        allowed = Attributes.resource(
                UserInfo.of("bench-user", "bench", UserInfo.ALL_AUTHENTICATED),
                "get",
                "",
                "configmaps",
                "",
                "bench",
                "cm-0");
        denied = Attributes.resource(
                UserInfo.of("nobody", UserInfo.ALL_AUTHENTICATED), "get", "", "configmaps", "", "bench", "cm-0");
    }

    @Benchmark
    public Decision allowedGet() {
        return authorizer.authorize(allowed);
    }

    @Benchmark
    public Decision deniedGet() {
        return authorizer.authorize(denied);
    }
}
