/**
 * The {@code fake} target: the fake apiserver started in-process with the same flags the reference gets.
 */
package io.kubetwin.scenarios.target.fake;
