package io.kubetwin.etcd.mvcc;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The in-memory multi-version index: every key's history (puts and tombstones) and the changes of every
 * revision since the last compaction. A tombstone is a {@link KeyValue} with only key and mod_revision set
 * (version 0), as etcd writes it. Not thread-safe: {@link EtcdStore} guards it with its lock.
 */
final class MvccIndex {
    static final Comparator<ByteString> KEY_ORDER = ByteString.unsignedLexicographicalComparator();

    private final TreeMap<ByteString, List<KeyValue>> keys = new TreeMap<>(KEY_ORDER);
    private final TreeMap<Long, List<KeyValue>> byRevision = new TreeMap<>();
    private long revision = 1;
    private long compactRevision = 0;

    long revision() {
        return revision;
    }

    long compactRevision() {
        return compactRevision;
    }

    void setRevisions(long revision, long compactRevision) {
        this.revision = revision;
        this.compactRevision = compactRevision;
    }

    static boolean isTombstone(KeyValue kv) {
        return kv.getVersion() == 0;
    }

    /** The key's live value at {@code rev}, or null. */
    KeyValue get(ByteString key, long rev) {
        List<KeyValue> history = keys.get(key);
        return history == null ? null : at(history, rev);
    }

    private static KeyValue at(List<KeyValue> history, long rev) {
        for (int i = history.size() - 1; i >= 0; i--) {
            KeyValue kv = history.get(i);
            if (kv.getModRevision() <= rev) {
                return isTombstone(kv) ? null : kv;
            }
        }
        return null;
    }

    /**
     * Live keys in the range at {@code rev}, in key order. {@code end} null: the single key; empty: every key
     * from {@code key} on (etcd's "\0" range end); else [key, end).
     */
    Page range(ByteString key, ByteString end, long rev, long limit, boolean countOnly) {
        List<KeyValue> out = new ArrayList<>();
        long count = 0;
        for (List<KeyValue> history : slice(key, end).values()) {
            KeyValue kv = at(history, rev);
            if (kv == null) {
                continue;
            }
            count++;
            if (!countOnly && (limit <= 0 || out.size() < limit)) {
                out.add(kv);
            }
        }
        return new Page(out, count);
    }

    record Page(List<KeyValue> kvs, long count) {}

    private NavigableMap<ByteString, List<KeyValue>> slice(ByteString key, ByteString end) {
        if (end == null) {
            List<KeyValue> one = keys.get(key);
            TreeMap<ByteString, List<KeyValue>> single = new TreeMap<>(KEY_ORDER);
            if (one != null) {
                single.put(key, one);
            }
            return single;
        }
        if (end.isEmpty()) {
            return keys.tailMap(key, true);
        }
        if (KEY_ORDER.compare(key, end) >= 0) {
            return Collections.emptyNavigableMap();
        }
        return keys.subMap(key, true, end, false);
    }

    /** Appends a change (a put or a tombstone) made at {@code kv.getModRevision()}. */
    void apply(KeyValue kv) {
        keys.computeIfAbsent(kv.getKey(), k -> new ArrayList<>()).add(kv);
        byRevision.computeIfAbsent(kv.getModRevision(), r -> new ArrayList<>()).add(kv);
        revision = Math.max(revision, kv.getModRevision());
    }

    /** Takes back the changes of the newest revision (its durable commit failed). */
    void undo(long rev, long previousRevision) {
        List<KeyValue> changes = byRevision.remove(rev);
        if (changes != null) {
            for (KeyValue kv : changes) {
                List<KeyValue> history = keys.get(kv.getKey());
                history.remove(history.size() - 1);
                if (history.isEmpty()) {
                    keys.remove(kv.getKey());
                }
            }
        }
        revision = previousRevision;
    }

    /** The changes of each revision after {@code from} (exclusive) up to the current one, in order. */
    NavigableMap<Long, List<KeyValue>> changesAfter(long from) {
        return byRevision.tailMap(from, false);
    }

    /**
     * Drops the history no read at or after {@code rev} can see, as etcd's compaction does: for every key the
     * newest change at or before {@code rev} stays unless it is a tombstone. Returns the dropped changes.
     */
    List<KeyValue> compact(long rev) {
        List<KeyValue> dropped = new ArrayList<>();
        Iterator<Map.Entry<ByteString, List<KeyValue>>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            List<KeyValue> history = it.next().getValue();
            int keep = -1;
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i).getModRevision() <= rev) {
                    keep = i;
                    break;
                }
            }
            if (keep < 0) {
                continue;
            }
            int from = isTombstone(history.get(keep)) ? keep + 1 : keep;
            dropped.addAll(history.subList(0, from));
            history.subList(0, from).clear();
            if (history.isEmpty()) {
                it.remove();
            }
        }
        byRevision.headMap(rev, true).clear();
        compactRevision = rev;
        return dropped;
    }

    /** Every live key with its lease, for rebuilding the lessor's key sets at start-up. */
    List<KeyValue> liveAt(long rev) {
        return range(ByteString.copyFrom(new byte[] {0}), ByteString.EMPTY, rev, 0, false)
                .kvs();
    }

    long liveBytes() {
        long total = 0;
        for (List<KeyValue> history : keys.values()) {
            for (KeyValue kv : history) {
                total += kv.getKey().size() + kv.getValue().size() + 40;
            }
        }
        return total;
    }
}
