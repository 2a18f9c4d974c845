package io.kubetwin.etcd.server;

import java.nio.file.Path;

/** Gives other test packages {@link TestCerts}' files: ca, client cert and key, other cert and key, server cert and key. */
public final class TestCertsAccess {
    private TestCertsAccess() {}

    public static Path[] create(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TestCerts c = TestCerts.create(dir);
        return new Path[] {
            c.ca(), c.clientCrt(), c.clientKey(), c.otherCrt(), c.otherKey(), c.serverCrt(), c.serverKey()
        };
    }
}
