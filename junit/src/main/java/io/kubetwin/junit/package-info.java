/**
 * A fake kube-apiserver in a test: {@link io.kubetwin.junit.KubeTwin @KubeTwin} on the test class for the common
 * case, a {@link io.kubetwin.junit.KubeTwinExtension} built with {@link io.kubetwin.junit.KubeTwinExtension#builder()}
 * and registered with {@code @RegisterExtension} for the rest, and {@link io.kubetwin.junit.KubeTwinServer}, a
 * blocking {@link java.lang.AutoCloseable} server, for code that does not use JUnit.
 *
 * <p>Each server has its own port on 127.0.0.1, its own PKI, its own working directory and its own threads, so test
 * classes may run in parallel. The public API uses only JDK, JUnit and (optionally) fabric8 types: the server's
 * Vert.x, Netty, Jackson and BouncyCastle are relocated inside the installed jar.
 */
package io.kubetwin.junit;
