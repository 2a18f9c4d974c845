package io.kubetwin.etcd.server;

/**
 * One listener kind's TLS settings, as etcd's transport.TLSInfo: a certificate and key, the CA that client
 * certificates must chain to, and whether a client certificate is required.
 */
public record TlsInfo(String certFile, String keyFile, String trustedCaFile, boolean clientCertAuth) {
    public static final TlsInfo NONE = new TlsInfo("", "", "", false);

    /** etcd's TLSInfo.Empty: no certificate and no key given. */
    public boolean empty() {
        return certFile.isEmpty() && keyFile.isEmpty();
    }
}
