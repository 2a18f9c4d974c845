/** Medians and ranges of runs, the Markdown report and its JFreeChart plots. */
package io.kubetwin.bench.report;
