package io.kubetwin.apiserver.audit.backend;

import java.io.IOException;
import java.io.OutputStream;

/** Where the log backend's lines go: a rotating file ({@link LumberjackWriter}) or standard output. */
public interface LogOutput {
    /** Writes one complete line; called by one thread at a time. */
    void write(byte[] line) throws IOException;

    /** Flushes and releases the output. */
    void close();

    /** {@code --audit-log-path=-}: lines written and flushed to the stream, which is never closed. */
    static LogOutput stream(OutputStream out) {
        return new LogOutput() {
            @Override
            public synchronized void write(byte[] line) throws IOException {
                out.write(line);
                out.flush();
            }

            @Override
            public void close() {
                try {
                    out.flush();
                } catch (IOException ignored) {
                    // nothing left to report to
                }
            }
        };
    }
}
