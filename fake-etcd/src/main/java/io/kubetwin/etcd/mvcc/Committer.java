package io.kubetwin.etcd.mvcc;

/**
 * Runs the store's writes (puts, deletes, transactions, lease grants and revocations) one after the other and
 * makes them durable; {@link EtcdStore} calls it for every write that changes state. {@link GroupCommitter} is the
 * implementation.
 */
interface Committer {

    /**
     * Applies {@code write} after the writes submitted before it and returns its result once the commit covering it
     * is durable. Called by any number of threads at once; blocks the caller until then. Throws the write's own error
     * when the write is refused (nothing of it kept), or a {@link BackendException} when the commit covering it failed
     * (then nothing of that commit is kept, and every write in it gets the exception).
     */
    <T> T submit(Write<T> write);

    /** One write, as a committer runs it: under the store's write lock, in submission order. */
    @FunctionalInterface
    interface Write<T> {
        /**
         * Applies the write to the in-memory state (index, lessor) and says what to make durable. Throws to refuse
         * the write, having taken back whatever it applied.
         */
        Applied<T> apply();
    }

    /**
     * An applied write: its answer, what to make durable, how to take it back when the commit fails (writes are
     * taken back newest first) and what to do once it is durable, in commit order (watch events, raft index).
     */
    record Applied<T>(T result, Backend.Change change, Runnable undo, Runnable afterCommit) {}
}
