package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's durable backend on SQLite (xerial sqlite-jdbc), as kine keeps k3s' data. One row per change
 * (a put or a tombstone) keyed by key and revision, a table of leases and a table of metadata. Every commit
 * (one batch of writes) is one SQLite transaction in WAL mode with {@code synchronous=FULL}, so it is on disk
 * (fsynced) when {@link #commit} returns; a torn last transaction is rolled back by SQLite at the next open. The data file is
 * checked with {@code PRAGMA quick_check} at start-up and a damaged file is refused with the checker's findings.
 * Thread-safe: one JDBC connection, used by one caller at a time (a JDBC connection is not safe to share).
 */
public final class SqliteBackend implements Backend {
    private final Connection db;
    private final String where;

    private SqliteBackend(Connection db, String where) {
        this.db = db;
        this.where = where;
    }

    /** A durable backend in {@code dataDir}/member/kubetwin.db (the directory is created, mode 0700 as etcd's). */
    public static SqliteBackend open(Path dataDir) {
        Path member = dataDir.resolve("member");
        try {
            Files.createDirectories(member);
            restrict(dataDir);
        } catch (java.io.IOException e) {
            throw new BackendException("cannot create data dir " + dataDir + ": " + e.getMessage(), e);
        }
        Path file = member.resolve("kubetwin.db");
        return open("jdbc:sqlite:" + file.toAbsolutePath(), file.toString());
    }

    private static void restrict(Path dir) throws java.io.IOException {
        // etcd keeps its data dir private (fileutil.PrivateDirMode, 0700)
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** A backend in memory only (tests and embedded servers that need no persistence). */
    public static SqliteBackend inMemory() {
        return open("jdbc:sqlite::memory:", "memory");
    }

    private static SqliteBackend open(String url, String where) {
        Connection db;
        try {
            db = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new BackendException("cannot open data file " + where + ": " + e.getMessage(), e);
        }
        SqliteBackend backend = new SqliteBackend(db, where);
        try (Statement s = db.createStatement()) {
            // Reading the header first makes a file that is not a database fail here, with SQLite's own words.
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            backend.check(s);
            s.execute("CREATE TABLE IF NOT EXISTS kv (key BLOB NOT NULL, revision INTEGER NOT NULL,"
                    + " sub INTEGER NOT NULL, create_revision INTEGER NOT NULL, version INTEGER NOT NULL,"
                    + " value BLOB NOT NULL, lease INTEGER NOT NULL, PRIMARY KEY (key, revision))");
            s.execute("CREATE INDEX IF NOT EXISTS kv_revision ON kv (revision, sub)");
            s.execute("CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            db.setAutoCommit(false);
        } catch (SQLException e) {
            backend.close();
            throw new BackendException("data file " + where + " is corrupt or unreadable: " + e.getMessage(), e);
        }
        return backend;
    }

    private void check(Statement s) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
            while (rs.next()) {
                if (!"ok".equals(rs.getString(1))) {
                    problems.add(rs.getString(1));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SQLException("integrity check failed: " + String.join("; ", problems));
        }
    }

    @Override
    public synchronized Contents load() {
        try {
            List<KeyValue> changes = new ArrayList<>();
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT key, revision, create_revision, version, value, lease FROM kv ORDER BY revision, sub")) {
                while (rs.next()) {
                    changes.add(KeyValue.newBuilder()
                            .setKey(ByteString.copyFrom(rs.getBytes(1)))
                            .setModRevision(rs.getLong(2))
                            .setCreateRevision(rs.getLong(3))
                            .setVersion(rs.getLong(4))
                            .setValue(ByteString.copyFrom(rs.getBytes(5)))
                            .setLease(rs.getLong(6))
                            .build());
                }
            }
            Map<Long, Long> leases = new LinkedHashMap<>();
            try (Statement s = db.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, ttl FROM lease ORDER BY id")) {
                while (rs.next()) {
                    leases.put(rs.getLong(1), rs.getLong(2));
                }
            }
            long revision = Math.max(1, meta("revision", 1));
            for (KeyValue kv : changes) {
                revision = Math.max(revision, kv.getModRevision());
            }
            db.commit();
            return new Contents(revision, meta("compact_revision", 0), changes, leases);
        } catch (SQLException e) {
            throw new BackendException("data file " + where + " is corrupt or unreadable: " + e.getMessage(), e);
        }
    }

    private long meta(String name, long otherwise) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : otherwise;
            }
        }
    }

    private void setMeta(String name, long value) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)")) {
            p.setString(1, name);
            p.setLong(2, value);
            p.executeUpdate();
        }
    }

    @Override
    public synchronized void commit(List<Change> batch) {
        long revision = 0;
        try (PreparedStatement kv = db.prepareStatement(
                        "INSERT INTO kv (key, revision, sub, create_revision, version, value, lease)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement grant = db.prepareStatement("INSERT OR REPLACE INTO lease (id, ttl) VALUES (?, ?)");
                PreparedStatement revoke = db.prepareStatement("DELETE FROM lease WHERE id = ?")) {
            // Statements run in the writes' order, so a lease granted and revoked in one batch ends up revoked.
            int sub = 0;
            for (Change change : batch) {
                for (KeyValue c : change.kvs()) {
                    kv.setBytes(1, c.getKey().toByteArray());
                    kv.setLong(2, c.getModRevision());
                    kv.setInt(3, sub++);
                    kv.setLong(4, c.getCreateRevision());
                    kv.setLong(5, c.getVersion());
                    kv.setBytes(6, c.getValue().toByteArray());
                    kv.setLong(7, c.getLease());
                    kv.executeUpdate();
                    revision = Math.max(revision, c.getModRevision());
                }
                for (Map.Entry<Long, Long> e : change.leaseGrants().entrySet()) {
                    grant.setLong(1, e.getKey());
                    grant.setLong(2, e.getValue());
                    grant.executeUpdate();
                }
                for (long id : change.leaseRevokes()) {
                    revoke.setLong(1, id);
                    revoke.executeUpdate();
                }
            }
            if (revision > 0) {
                setMeta("revision", revision);
            }
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new BackendException(
                    "cannot commit " + batch.size() + " write(s) up to revision " + revision + " to " + where + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private void rollback() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the commit's own error is the one to report
        }
    }

    @Override
    public synchronized void compact(long revision, List<KeyValue> dropped) {
        try {
            try (PreparedStatement p = db.prepareStatement("DELETE FROM kv WHERE key = ? AND revision = ?")) {
                for (KeyValue kv : dropped) {
                    p.setBytes(1, kv.getKey().toByteArray());
                    p.setLong(2, kv.getModRevision());
                    p.addBatch();
                }
                p.executeBatch();
            }
            setMeta("compact_revision", revision);
            db.commit();
        } catch (SQLException e) {
            rollback();
            throw new BackendException("cannot compact " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long[] ids(long clusterId, long memberId) {
        try {
            long cluster = meta("cluster_id", 0);
            long member = meta("member_id", 0);
            if (cluster == 0 && member == 0) {
                setMeta("cluster_id", clusterId);
                setMeta("member_id", memberId);
                db.commit();
                return new long[] {clusterId, memberId};
            }
            db.commit();
            return new long[] {cluster, member};
        } catch (SQLException e) {
            rollback();
            throw new BackendException("cannot read ids from " + where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long sizeBytes() {
        return pragma("page_count") * pragma("page_size");
    }

    @Override
    public synchronized long sizeInUseBytes() {
        return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
    }

    private long pragma(String name) {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            long v = rs.next() ? rs.getLong(1) : 0;
            db.commit();
            return v;
        } catch (SQLException e) {
            return 0;
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to report to
        }
    }
}
