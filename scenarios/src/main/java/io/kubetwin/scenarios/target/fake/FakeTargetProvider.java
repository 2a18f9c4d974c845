package io.kubetwin.scenarios.target.fake;

import io.kubetwin.scenarios.target.Target;
import io.kubetwin.scenarios.target.TargetProvider;

/** Registers {@link FakeTarget} under the name {@code fake}. */
public final class FakeTargetProvider implements TargetProvider {
    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Target create() {
        return new FakeTarget();
    }
}
