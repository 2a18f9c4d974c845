package io.kubetwin.scan.model;

/** How bad a finding is, highest first; {@link #sarifLevel} maps it to SARIF's closed set of levels. */
public enum Severity {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW,
    INFO;

    /** SARIF 2.1.0 {@code result.level}: error, warning or note. */
    public String sarifLevel() {
        return switch (this) {
            case CRITICAL, HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW, INFO -> "note";
        };
    }

    /** The SARIF {@code security-severity} property (0.0-10.0) code-scanning dashboards sort by. */
    public String securitySeverity() {
        return switch (this) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
            case INFO -> "0.0";
        };
    }
}
