package io.kubetwin.apiserver.authn.serviceaccount;

import java.time.Instant;

/**
 * A stored ServiceAccount as token validation sees it.
 *
 * @param deletionTimestamp set while the account is being deleted (it still exists until finalized), else null
 */
public record ServiceAccountRef(String namespace, String name, String uid, Instant deletionTimestamp) {
    public ServiceAccountRef(String namespace, String name, String uid) {
        this(namespace, name, uid, null);
    }
}
