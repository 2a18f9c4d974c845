package io.kubetwin.scan.model;

import java.util.List;

/**
 * What one kind of finding means: its id, title, severity and the control it maps to. A check declares its rules
 * (the SARIF report lists them as {@code tool.driver.rules}) and makes findings from them.
 *
 * @param id        stable id, e.g. {@code KT-ANON-RESOURCE}
 * @param title     short title
 * @param severity  severity of every finding of this rule
 * @param reference the CIS Kubernetes Benchmark control or seed-article section
 * @param help      what to do about it, one or two sentences
 */
public record Rule(String id, String title, Severity severity, String reference, String help) {

    /** A finding of this rule about {@code subject}, proven by {@code evidence}. */
    public Finding finding(String subject, String detail, List<Exchange> evidence) {
        return new Finding(id, title, severity, reference, subject, detail, evidence);
    }

    /** The same rule at another severity (the scanning user's own grants are worth a note, not an alarm). */
    public Finding finding(Severity severity, String subject, String detail, List<Exchange> evidence) {
        return new Finding(id, title, severity, reference, subject, detail, evidence);
    }
}
