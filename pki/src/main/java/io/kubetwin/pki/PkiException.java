package io.kubetwin.pki;

/**
 * A certificate, key, CSR or kubeconfig could not be made or understood. Unchecked because callers
 * (test fixtures, server start-up) can rarely do anything but report it; the message says what and why.
 */
public class PkiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
