package io.kubetwin.apiserver.registry.selection;

/** A selector that does not parse; the message is upstream's, and the handler answers it as a 400. */
public final class SelectorException extends Exception {
    public SelectorException(String message) {
        super(message, null, false, false);
    }
}
