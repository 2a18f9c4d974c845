package io.kubetwin.apiserver.server;

import io.kubetwin.apiserver.authn.AuthenticatorChain;
import io.kubetwin.apiserver.authn.serviceaccount.ServiceAccountTokenIssuer;
import io.kubetwin.apiserver.authz.Authorizer;
import io.kubetwin.apiserver.authz.RuleResolver;
import io.kubetwin.apiserver.registry.VirtualResources;
import io.kubetwin.apiserver.storage.Storage;
import java.time.Clock;

/**
 * Registers the resources served by code rather than storage: the authentication and authorization
 * review APIs, TokenRequest and CSR approval.
 */
final class SecurityResources {
    private SecurityResources() {}

    record Context(AuthenticatorChain authenticator, Authorizer authorizer, RuleResolver rules,
                   ServiceAccountTokenIssuer tokenIssuer, Storage storage, Clock clock) {}

    static void register(VirtualResources resources, Context context) {
    }
}
