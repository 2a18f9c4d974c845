package io.kubetwin.apiserver.controllers;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One write after the other, as a Go controller's plain {@code for} loop over a list does: each step starts once the
 * one before it succeeded, and the first failure ends the chain. The list is read when the chain is built.
 */
final class InOrder {
    private InOrder() {}

    /** A step that also gets the item's position in the list. */
    interface IndexedStep<T> {
        Future<?> apply(int index, T item);
    }

    static <T> Future<Void> each(List<T> items, Function<T, Future<?>> step) {
        return eachIndexed(items, (i, item) -> step.apply(item));
    }

    static <T> Future<Void> eachIndexed(List<T> items, IndexedStep<T> step) {
        Future<Void> chain = Future.succeededFuture();
        List<T> snapshot = new ArrayList<>(items);
        for (int i = 0; i < snapshot.size(); i++) {
            int index = i;
            chain = chain.compose(v -> step.apply(index, snapshot.get(index)).mapEmpty());
        }
        return chain;
    }
}
