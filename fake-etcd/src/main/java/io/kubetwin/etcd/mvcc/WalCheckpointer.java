package io.kubetwin.etcd.mvcc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies SQLite's write-ahead log into the database file in the background ({@code PRAGMA
 * wal_checkpoint(PASSIVE)} on a connection of its own, every 250 ms), so that the commit that crosses SQLite's
 * auto-checkpoint threshold (1000 pages) finds the log already copied, instead of copying and syncing up to 4 MB
 * while every writer of its round waits for an answer. A PASSIVE checkpoint never waits for the writer nor makes it
 * wait, and never loses a committed transaction; a failed one is logged and left to the next tick or to the
 * writer's own auto-checkpoint. Used by {@link SqliteBackend} for a data file (not in memory).
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WalCheckpointer.class.getName());
    private static final long PERIOD_MS = 250;

    private final Connection db;
    private final ScheduledExecutorService timer;

    private WalCheckpointer(Connection db) {
        this.db = db;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fake-etcd-wal-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    static WalCheckpointer start(String url) throws SQLException {
        Connection db = DriverManager.getConnection(url);
        try (Statement s = db.createStatement()) {
            // The database file must be synced before the writer may reuse the log it copied from.
            s.execute("PRAGMA synchronous=FULL");
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        WalCheckpointer c = new WalCheckpointer(db);
        c.timer.scheduleWithFixedDelay(c::checkpoint, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
        return c;
    }

    private void checkpoint() {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            LOG.log(Level.FINE, "background WAL checkpoint failed; the next one or the writer's will do it", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to report to
        }
    }
}
