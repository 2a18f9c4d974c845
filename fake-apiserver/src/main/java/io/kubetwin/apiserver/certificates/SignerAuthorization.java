package io.kubetwin.apiserver.certificates;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;

/**
 * Whether a user may act for a signer (pkg/certauthorization IsAuthorizedForSignerName): the verb
 * ("approve", "sign") on resource {@code signers} in certificates.k8s.io named after the signer, or
 * failing that named {@code <domain>/*}. Authorizer errors count as not authorized.
 */
public final class SignerAuthorization {
    private SignerAuthorization() {}

    public static boolean isAuthorized(Authorizer authorizer, UserInfo user, String verb, String signerName) {
        if (allowed(authorizer, user, verb, signerName)) {
            return true;
        }
        String domain = signerName.split("/", -1)[0];
        return allowed(authorizer, user, verb, domain + "/*");
    }

    private static boolean allowed(Authorizer authorizer, UserInfo user, String verb, String name) {
        try {
            return authorizer
                    .authorize(Attributes.resource(user, verb, "certificates.k8s.io", "signers", "", "", name))
                    .isAllowed();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
