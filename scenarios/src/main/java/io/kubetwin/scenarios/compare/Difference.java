package io.kubetwin.scenarios.compare;

/**
 * One field that differs between the baseline target and another target for a step.
 *
 * @param field    what differs: {@code status}, {@code reason}, {@code message}, {@code body}, {@code json:/ptr},
 *                 {@code kubectl.exitCode}, {@code kubectl.stdout}, {@code kubectl.stderr}, {@code audit.count},
 *                 {@code audit[i]/pointer}
 * @param expected the baseline's value (normalised)
 * @param actual   the other target's value (normalised)
 */
public record Difference(
        String suite, String step, String baseline, String target, String field, String expected, String actual) {}
