package io.kubetwin.apiserver.registry.patch;

/**
 * A patch that cannot be applied. {@code badRequest} distinguishes upstream's 400s (malformed patch
 * documents) from its other answers (422 for JSON patch operations that fail, 500 for unknown
 * strategic-merge directives).
 */
public final class PatchException extends Exception {
    public enum Kind {
        BAD_REQUEST,
        UNPROCESSABLE,
        /** 413: more JSON patch operations than upstream takes. */
        TOO_LARGE,
        INTERNAL
    }

    private final Kind kind;

    public PatchException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
