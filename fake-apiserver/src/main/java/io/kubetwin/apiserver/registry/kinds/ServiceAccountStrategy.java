package io.kubetwin.apiserver.registry.kinds;

import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import java.util.List;
import java.util.Map;

/** ServiceAccounts (pkg/registry/core/serviceaccount): DELETE answers the object. */
public final class ServiceAccountStrategy implements ResourceStrategy {
    @Override
    public boolean returnDeletedObject() {
        return true;
    }

    @Override
    public List<String> fieldOrder() {
        return List.of("kind", "apiVersion", "metadata", "secrets", "imagePullSecrets", "automountServiceAccountToken");
    }

    @Override
    public TableConvertor table() {
        return Printers.SERVICE_ACCOUNTS;
    }

    @Override
    public MergeKeys mergeKeys() {
        return MergeKeys.NONE.with(Map.of("secrets", "name"));
    }
}
