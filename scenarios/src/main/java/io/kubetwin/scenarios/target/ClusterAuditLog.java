package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The audit events a cluster has written. Positions are opaque marks: {@link #mark()} before a step,
 * {@link #since(long)} after it.
 */
public interface ClusterAuditLog {

    /** The current end of the log. */
    long mark();

    /** Every event written after the mark, in order. Implementations re-read lazily; thread-safe. */
    List<JsonNode> since(long mark);

    /** Whether events can be read at all. */
    boolean readable();

    ClusterAuditLog NONE = new ClusterAuditLog() {
        @Override
        public long mark() {
            return 0;
        }

        @Override
        public List<JsonNode> since(long mark) {
            return List.of();
        }

        @Override
        public boolean readable() {
            return false;
        }
    };
}
