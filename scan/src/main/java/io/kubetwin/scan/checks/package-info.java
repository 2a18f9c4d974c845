/** The checks, one class each behind {@link io.kubetwin.scan.checks.Check}, and what they share. */
package io.kubetwin.scan.checks;
