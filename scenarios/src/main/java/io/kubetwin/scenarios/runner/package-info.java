/**
 * The runner: starts a target for a suite, applies the setup objects, provisions the actors, runs each step,
 * records everything it saw (status, headers, body, kubectl output, the step's audit events) and evaluates
 * the expectations. A step a target cannot run is SKIPPED with the reason, never passed.
 */
package io.kubetwin.scenarios.runner;
