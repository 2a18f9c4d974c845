package io.kubetwin.scenarios.target;

/**
 * A target found with {@link java.util.ServiceLoader}: lets a target whose code is not always in the build (the
 * in-process fake) register itself without the runner naming its class.
 */
public interface TargetProvider {

    /** The target's name. */
    String name();

    /** A new target instance; must not start anything. */
    Target create();
}
