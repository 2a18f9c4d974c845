/**
 * JMH micro-benchmarks of the fake apiserver's hot paths, run with {@code mvn -B -pl bench -am verify -DskipTests
 * -Pjmh} (see bench/README.md). Each class measures one thing over the fake's public classes.
 */
package io.kubetwin.bench.micro;
