/**
 * The benchmark of issue 14: {@link io.kubetwin.bench.BenchMain} runs the start-up, load and bindings phases against
 * the fake (process and in-JVM), the reference control plane and the bare TLS ceiling, and writes the report.
 */
package io.kubetwin.bench;
