package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One write transaction on the index (etcd's storeTxnWrite, server/storage/mvcc/kvstore_txn.go): every
 * change gets revision {@code beginRev + 1}; reads inside the transaction see its own changes. Changes go
 * into the index at once and are taken back by {@link #rollback} if the durable commit fails.
 */
final class WriteTxn {
    private final MvccIndex index;
    private final Lessor lessor;
    private final long beginRev;
    private final List<KeyValue> changes = new ArrayList<>();
    /** Lease attachments to undo on rollback: key to (old lease, new lease). */
    private final Map<ByteString, long[]> leaseMoves = new LinkedHashMap<>();

    WriteTxn(MvccIndex index, Lessor lessor) {
        this.index = index;
        this.lessor = lessor;
        this.beginRev = index.revision();
    }

    long beginRev() {
        return beginRev;
    }

    /** The revision reads in this transaction see (storeTxnWrite.Range). */
    long readRev() {
        return changes.isEmpty() ? beginRev : beginRev + 1;
    }

    List<KeyValue> changes() {
        return changes;
    }

    /** Puts and returns the new revision (storeTxnWrite.put). */
    long put(ByteString key, ByteString value, long lease) {
        long rev = beginRev + 1;
        KeyValue old = index.get(key, readRev());
        KeyValue kv = KeyValue.newBuilder()
                .setKey(key)
                .setValue(value)
                .setCreateRevision(old == null ? rev : old.getCreateRevision())
                .setModRevision(rev)
                .setVersion(old == null ? 1 : old.getVersion() + 1)
                .setLease(lease)
                .build();
        index.apply(kv);
        changes.add(kv);
        long oldLease = old == null ? 0 : old.getLease();
        if (oldLease != lease) {
            moveLease(key, oldLease, lease);
        }
        return rev;
    }

    /** Deletes the live keys in the range; returns how many (storeTxnWrite.deleteRange). */
    long deleteRange(ByteString key, ByteString end) {
        List<KeyValue> live = index.range(key, end, readRev(), 0, false).kvs();
        long rev = beginRev + 1;
        for (KeyValue old : live) {
            KeyValue tombstone = KeyValue.newBuilder()
                    .setKey(old.getKey())
                    .setModRevision(rev)
                    .build();
            index.apply(tombstone);
            changes.add(tombstone);
            if (old.getLease() != 0) {
                moveLease(old.getKey(), old.getLease(), 0);
            }
        }
        return live.size();
    }

    private void moveLease(ByteString key, long from, long to) {
        leaseMoves.computeIfAbsent(key, k -> new long[] {from, to})[1] = to;
        if (from != 0) {
            lessor.detach(from, key);
        }
        if (to != 0) {
            lessor.attach(to, key);
        }
    }

    void rollback() {
        if (!changes.isEmpty()) {
            index.undo(beginRev + 1, beginRev);
        }
        leaseMoves.forEach((key, move) -> {
            if (move[1] != 0) {
                lessor.detach(move[1], key);
            }
            if (move[0] != 0) {
                lessor.attach(move[0], key);
            }
        });
    }
}
