package io.kubetwin.etcd.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit, in the leader/follower scheme of database logs: a writer queues its write and, when no round is
 * under way, leads one: it takes every queued write, applies them in queue order under the store's write lock (each
 * gets its own revision, as etcd numbers the entries of one raft batch one by one), commits them to the backend in
 * one transaction with one sync to disk, then runs their after-commit steps in order (watch events in revision
 * order) and answers them all. Writes that arrive meanwhile queue for the next round, which one of them leads. A
 * lone writer leads its own round at once, so it waits no longer than with a commit per write. etcd gets the same
 * effect from raft batching concurrent proposals and from its backend's batch transaction
 * (server/storage/backend/batch_tx.go).
 *
 * <p>Readers never see a write before it is durable: a round holds the store's write lock from the first apply to
 * the last answer.
 */
final class GroupCommitter implements Committer {
    private final Lock storeLock;
    private final Backend backend;
    private final ReentrantLock queueLock = new ReentrantLock();
    private final Condition roundDone = queueLock.newCondition();
    private final List<Pending<?>> queue = new ArrayList<>();
    private boolean leading;

    GroupCommitter(Lock storeLock, Backend backend) {
        this.storeLock = storeLock;
        this.backend = backend;
    }

    @Override
    public <T> T submit(Write<T> write) {
        Pending<T> mine = new Pending<>(write);
        List<Pending<?>> round;
        queueLock.lock();
        try {
            queue.add(mine);
            while (leading && !mine.done) {
                roundDone.awaitUninterruptibly();
            }
            if (mine.done) {
                return mine.outcome();
            }
            // No round under way and this write not done: it is still queued, so this round includes it.
            leading = true;
            round = List.copyOf(queue);
            queue.clear();
        } finally {
            queueLock.unlock();
        }
        try {
            run(round);
        } finally {
            queueLock.lock();
            try {
                leading = false;
                roundDone.signalAll();
            } finally {
                queueLock.unlock();
            }
        }
        return mine.outcome();
    }

    private void run(List<Pending<?>> round) {
        storeLock.lock();
        try {
            List<Pending<?>> applied = new ArrayList<>();
            List<Backend.Change> changes = new ArrayList<>();
            for (Pending<?> p : round) {
                if (p.apply()) {
                    applied.add(p);
                    if (!p.applied.change().isEmpty()) {
                        changes.add(p.applied.change());
                    }
                }
            }
            if (!changes.isEmpty()) {
                try {
                    backend.commit(changes);
                } catch (RuntimeException e) {
                    // The later writes were applied on top of the earlier ones: take them back newest first.
                    for (int i = applied.size() - 1; i >= 0; i--) {
                        applied.get(i).applied.undo().run();
                    }
                    applied.forEach(p -> p.finish(null, e));
                    return;
                }
            }
            applied.forEach(Pending::committed);
        } catch (RuntimeException | Error e) {
            // Not expected (an after-commit step failed): no writer may wait for an answer that never comes.
            RuntimeException failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            round.stream().filter(p -> !p.done).forEach(p -> p.finish(null, failure));
            throw e;
        } finally {
            storeLock.unlock();
        }
    }

    /** A queued write; its outcome is set once, by the leader of its round, and read by its own writer. */
    private static final class Pending<T> {
        private final Write<T> write;
        private Applied<T> applied;
        private T result;
        private RuntimeException error;
        /** Written last, so that a writer that sees it set also sees the outcome. */
        private volatile boolean done;

        Pending(Write<T> write) {
            this.write = write;
        }

        /** Applies the write; false when it was refused (then it is answered with its error already). */
        boolean apply() {
            try {
                applied = write.apply();
                return true;
            } catch (RuntimeException e) {
                finish(null, e);
                return false;
            }
        }

        void committed() {
            applied.afterCommit().run();
            finish(applied.result(), null);
        }

        void finish(T value, RuntimeException failure) {
            result = value;
            error = failure;
            done = true;
        }

        T outcome() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }
}
