package io.kubetwin.scan.audit;

/** A detection-rule file that cannot be used: the message names the file, the entry and what is wrong. */
public final class RuleFileException extends IllegalArgumentException {
    public RuleFileException(String message) {
        super(message);
    }

    public RuleFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
