/**
 * The {@code fake} target: the fake apiserver started in-process with the same flags the reference gets. Left
 * out of the build (see the {@code without-fake-apiserver} profile) while the fake apiserver's embedding API is
 * not in the tree.
 */
package io.kubetwin.scenarios.target.fake;
