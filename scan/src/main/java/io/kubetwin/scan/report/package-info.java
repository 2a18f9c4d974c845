/** The scan's reports: Markdown, HTML with a chart, JUnit XML and SARIF 2.1.0. */
package io.kubetwin.scan.report;
