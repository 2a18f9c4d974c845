package io.kubetwin.etcd.mvcc;

import static io.kubetwin.etcd.mvcc.Kv.b;
import static io.kubetwin.etcd.mvcc.Kv.del;
import static io.kubetwin.etcd.mvcc.Kv.get;
import static io.kubetwin.etcd.mvcc.Kv.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite backend keeps everything across restarts and refuses a damaged data file. */
class SqliteDurabilityTest {
    @TempDir
    Path dir;

    private EtcdStore open() {
        return EtcdStore.open(SqliteBackend.open(dir), StoreOptions.defaults(), 11, 22);
    }

    private Path dbFile() {
        return dir.resolve("member").resolve("kubetwin.db");
    }

    @Test
    void aRestartKeepsKeysHistoryRevisionsIdsAndLeases() throws IOException {
        long lease;
        try (EtcdStore s = open()) {
            s.put(put("a", "1")); // 2
            s.put(put("a", "2")); // 3
            s.put(put("b", "x")); // 4
            lease = s.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(300).build())
                    .getID();
            s.put(put("leased", "y").toBuilder().setLease(lease).build()); // 5
            s.compact(CompactionRequest.newBuilder().setRevision(3).build());
            s.deleteRange(del("b")); // 6
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        try (EtcdStore s = EtcdStore.open(SqliteBackend.open(dir), StoreOptions.defaults(), 99, 99)) {
            assertEquals(6, s.revision());
            assertEquals(3, s.compactRevision());
            assertEquals(11, s.clusterId()); // ids are those of the first start
            assertEquals(22, s.memberId());
            assertEquals(b("2"), s.range(get("a")).getKvs(0).getValue());
            assertEquals(2, s.range(get("a")).getKvs(0).getVersion());
            assertEquals(
                    b("x"),
                    s.range(get("b").toBuilder().setRevision(5).build())
                            .getKvs(0)
                            .getValue());
            assertEquals(0, s.range(get("b")).getKvsCount());
            var ttl = s.leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder()
                    .setID(lease)
                    .setKeys(true)
                    .build());
            assertEquals(300, ttl.getGrantedTTL());
            assertEquals(b("leased"), ttl.getKeys(0));
            assertEquals(7, s.put(put("c", "z")).getHeader().getRevision());
        }
    }

    @Test
    void aDeleteAsTheLastWriteKeepsItsRevisionAfterCompaction() {
        try (EtcdStore s = open()) {
            s.put(put("a", "1")); // 2
            s.deleteRange(del("a")); // 3
            s.compact(CompactionRequest.newBuilder().setRevision(3).build());
        }
        try (EtcdStore s = open()) {
            assertEquals(3, s.revision());
        }
    }

    @Test
    void aCorruptDataFileIsRefusedWithAClearError() throws IOException {
        try (EtcdStore s = open()) {
            for (int i = 0; i < 200; i++) {
                s.put(put("key-" + i, "value-".repeat(20) + i));
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(dbFile().toFile(), "rw")) {
            // damage a b-tree page (not the header): SQLite's own check must notice it
            f.seek(4096 + 100);
            f.write(new byte[512]);
            f.seek(2 * 4096 + 8);
            f.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        }
        BackendException e = assertThrows(BackendException.class, this::open);
        assertTrue(e.getMessage().startsWith("data file " + dbFile() + " is corrupt or unreadable: "), e.getMessage());
    }

    @Test
    void aTruncatedDataFileIsRefused() throws IOException {
        try (EtcdStore s = open()) {
            for (int i = 0; i < 200; i++) {
                s.put(put("key-" + i, "value-".repeat(20) + i));
            }
        }
        long size = Files.size(dbFile());
        try (RandomAccessFile f = new RandomAccessFile(dbFile().toFile(), "rw")) {
            f.setLength(size / 2);
        }
        BackendException e = assertThrows(BackendException.class, this::open);
        assertTrue(e.getMessage().contains("is corrupt or unreadable"), e.getMessage());
    }

    @Test
    void aFileThatIsNotADatabaseIsRefused() throws IOException {
        Files.createDirectories(dbFile().getParent());
        Files.writeString(dbFile(), "this is not an SQLite database, it is a text file of some length".repeat(100));
        BackendException e = assertThrows(BackendException.class, this::open);
        assertTrue(e.getMessage().contains("is corrupt or unreadable"), e.getMessage());
        assertTrue(e.getMessage().contains("not a database"), e.getMessage());
    }
}
