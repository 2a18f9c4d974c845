package io.kubetwin.bench.micro;

import io.kubetwin.apiserver.audit.policy.ExamplePolicies;
import io.kubetwin.apiserver.audit.policy.PolicyChecker;
import io.kubetwin.apiserver.audit.policy.RequestAuditConfig;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Audit policy evaluation ({@link PolicyChecker#evaluate}) of a user's GET of a ConfigMap under the example policies. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AuditPolicyBenchmark {
    @Param({ExamplePolicies.METADATA, ExamplePolicies.GKE_PROFILE, ExamplePolicies.ALIBABA_BEST_PRACTICE})
    public String policy;

    private PolicyChecker checker;
    private Attributes request;

    @Setup
    public void setUp() {
        checker = new PolicyChecker(ExamplePolicies.load(policy));
        request = Attributes.resource(
                UserInfo.of("bench-user", "bench", UserInfo.ALL_AUTHENTICATED),
                "get",
                "",
                "configmaps",
                "",
                "bench",
                "cm-0");
    }

    @Benchmark
    public RequestAuditConfig evaluate() {
        return checker.evaluate(request);
    }
}
