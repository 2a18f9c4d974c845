package io.kubetwin.reference;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on 127.0.0.1 for the components this process starts. */
public final class LocalPorts {
    private LocalPorts() {}

    /** A port free at the time of the call (someone else may take it before the component binds it). */
    public static int free() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
