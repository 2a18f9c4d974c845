/** What the load is pointed at (fake process, fake in-JVM, reference, ceiling) and the one PKI they all share. */
package io.kubetwin.bench.target;
