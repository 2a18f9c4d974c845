package io.kubetwin.apiserver.authn.serviceaccount;

import java.time.Instant;

/**
 * An object a token is bound to (pod, secret, node) as stored, or as named in a token's claims.
 *
 * @param deletionTimestamp set while the object is being deleted, else null (always null in claims)
 */
public record BoundObject(String name, String uid, Instant deletionTimestamp) {
    public BoundObject(String name, String uid) {
        this(name, uid, null);
    }
}
