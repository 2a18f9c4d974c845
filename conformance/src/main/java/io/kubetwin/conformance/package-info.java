/**
 * The conformance harness: the known-divergences list and the reports (Markdown and HTML side by side, JUnit XML
 * per target) of running every suite on every selected target and comparing them.
 */
package io.kubetwin.conformance;
