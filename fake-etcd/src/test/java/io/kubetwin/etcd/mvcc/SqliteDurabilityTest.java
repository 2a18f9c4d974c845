package io.kubetwin.etcd.mvcc;

import static io.kubetwin.etcd.mvcc.Kv.b;
import static io.kubetwin.etcd.mvcc.Kv.del;
import static io.kubetwin.etcd.mvcc.Kv.get;
import static io.kubetwin.etcd.mvcc.Kv.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchResponse;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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

    /** A create as the fake apiserver writes it: put only when the key has never been created. */
    private static TxnRequest create(String key, String value) {
        return TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(b(key))
                        .setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL)
                        .setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(put(key, value)))
                .build();
    }

    @Test
    void transactionsCommittedTogetherKeepARevisionEachAndSurviveARestart() {
        List<WatchResponse> seen = new ArrayList<>();
        try (EtcdStore s = open()) {
            s.put(put("b", "old")); // 2
            var stream = s.openWatchStream(seen::add);
            stream.create(WatchCreateRequest.newBuilder()
                    .setKey(b("\0"))
                    .setRangeEnd(b("\0"))
                    .build());
            List<TxnResponse> answers = s.txns(List.of(create("a", "1"), create("b", "2"), create("c", "3")));
            assertEquals(
                    List.of(true, false, true),
                    answers.stream().map(TxnResponse::getSucceeded).toList());
            // one revision per transaction that wrote, as separate txn calls would get
            assertEquals(
                    List.of(3L, 3L, 4L),
                    answers.stream().map(r -> r.getHeader().getRevision()).toList());
            assertEquals(4, s.revision());
            assertEquals(11, answers.get(0).getHeader().getClusterId());
            // one watch event per write, at its own revision, in order
            List<Long> events = new ArrayList<>();
            seen.forEach(
                    w -> w.getEventsList().forEach(e -> events.add(e.getKv().getModRevision())));
            assertEquals(List.of(3L, 4L), events);
        }
        try (EtcdStore s = open()) {
            assertEquals(4, s.revision());
            assertEquals(3, s.range(get("a")).getKvs(0).getModRevision());
            assertEquals(b("old"), s.range(get("b")).getKvs(0).getValue());
            assertEquals(4, s.range(get("c")).getKvs(0).getModRevision());
            assertEquals(5, s.put(put("d", "4")).getHeader().getRevision());
        }
    }

    @Test
    void transactionsCommittedTogetherAreAllOrNothing() {
        try (EtcdStore s = open()) {
            s.put(put("a", "0")); // 2
            // the second refers to a key that does not exist (ignore_value): refused, and the first taken back
            TxnRequest refused = TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder()
                            .setRequestPut(put("missing", "").toBuilder().setIgnoreValue(true)))
                    .build();
            EtcdException e = assertThrows(EtcdException.class, () -> s.txns(List.of(create("x", "1"), refused)));
            assertEquals(EtcdError.KEY_NOT_FOUND, e.error());
            assertEquals(2, s.revision());
            assertEquals(0, s.range(get("x")).getKvsCount());
            assertEquals(3, s.txns(List.of(create("x", "1"))).get(0).getHeader().getRevision());
        }
        try (EtcdStore s = open()) {
            assertEquals(3, s.revision());
            assertEquals(b("1"), s.range(get("x")).getKvs(0).getValue());
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
