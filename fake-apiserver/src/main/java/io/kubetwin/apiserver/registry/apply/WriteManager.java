package io.kubetwin.apiserver.registry.apply;

/**
 * Who a write is recorded as in managedFields: an updater by name (create, update and non-apply patches), or an
 * apply whose {@link FieldManager#apply} already set the object's managedFields.
 *
 * @param name the manager name (fieldManager or the User-Agent's first part); "" for an apply
 * @param precomputed whether the object's managedFields are final already
 */
public record WriteManager(String name, boolean precomputed) {
    public static WriteManager updater(String name) {
        return new WriteManager(name, false);
    }

    public static WriteManager applier() {
        return new WriteManager("", true);
    }
}
