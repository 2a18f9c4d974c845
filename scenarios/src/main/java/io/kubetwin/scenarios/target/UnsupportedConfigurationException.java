package io.kubetwin.scenarios.target;

/**
 * Thrown by {@link Target#start} when the target refuses the suite's configuration because it does not implement
 * part of it (a flag, an authorization mode, an admission plugin). The runner reports every step of the suite as
 * SKIPPED with this message on that target: the capability has not landed there, which is not a pass.
 */
public final class UnsupportedConfigurationException extends Exception {
    public UnsupportedConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
