package io.kubetwin.apiserver.authn;

import io.kubetwin.auth.authn.AnonymousAuthenticator;
import io.kubetwin.auth.authn.AuthenticatedGroupAdder;
import io.kubetwin.auth.authn.AuthenticationRequest;
import io.kubetwin.auth.authn.AuthenticationResult;
import io.kubetwin.auth.authn.Authenticator;
import io.kubetwin.auth.authn.BearerTokenAuthenticator;
import io.kubetwin.auth.authn.TokenAuthenticator;
import io.kubetwin.auth.authn.UnionAuthenticator;
import io.kubetwin.pki.GoText;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's request authenticator, assembled in one place exactly as
 * pkg/kubeapiserver/authenticator/config.go assembles it: a union of the client-certificate authenticator
 * and the bearer-token authenticator (static token file, wrapped to be audience-agnostic, then the
 * service-account token authenticators), wrapped by the authenticated-group adder, then — when anonymous
 * access is on — FailOnError(that, anonymous), so that a bad credential is a 401 and never anonymous; and, as
 * genericapiserver does for its loopback client, a union of the loopback token authenticator and all that.
 * Front-proxy (request-header) and websocket-protocol authenticators are not part of the fake.
 *
 * <p>With no authenticator configured and anonymous off, every request is rejected (kube-apiserver would
 * run without authentication; the fake fails closed instead). Immutable and thread-safe.
 */
public final class AuthenticatorChain implements Authenticator {

    /**
     * What is configured; null or empty members are absent.
     *
     * @param x509 the client-certificate authenticator ({@code --client-ca-file})
     * @param tokenFile the static token file ({@code --token-auth-file}); wrapped audience-agnostic here
     * @param serviceAccountTokens the service-account JWT authenticators, in upstream order
     * @param anonymous the anonymous authenticator, null for {@code --anonymous-auth=false}
     * @param apiAudiences {@code --api-audiences} (kube-apiserver defaults them to the service-account issuer)
     */
    public record Config(
            Authenticator x509,
            TokenAuthenticator tokenFile,
            List<TokenAuthenticator> serviceAccountTokens,
            AnonymousAuthenticator anonymous,
            List<String> apiAudiences) {
        public Config {
            serviceAccountTokens = List.copyOf(serviceAccountTokens == null ? List.of() : serviceAccountTokens);
            apiAudiences = List.copyOf(apiAudiences == null ? List.of() : apiAudiences);
        }

        public static Config none() {
            return new Config(null, null, List.of(), null, List.of());
        }

        public Config withX509(Authenticator certificates) {
            return new Config(certificates, tokenFile, serviceAccountTokens, anonymous, apiAudiences);
        }

        public Config withTokenFile(TokenAuthenticator tokens) {
            return new Config(x509, tokens, serviceAccountTokens, anonymous, apiAudiences);
        }

        public Config withServiceAccountTokens(List<TokenAuthenticator> authenticators) {
            return new Config(x509, tokenFile, authenticators, anonymous, apiAudiences);
        }

        public Config withAnonymous(AnonymousAuthenticator anonymousAuthenticator) {
            return new Config(x509, tokenFile, serviceAccountTokens, anonymousAuthenticator, apiAudiences);
        }

        public Config withApiAudiences(List<String> audiences) {
            return new Config(x509, tokenFile, serviceAccountTokens, anonymous, audiences);
        }
    }

    private static final Authenticator NOTHING = request -> Future.succeededFuture(AuthenticationResult.NOT_MINE);
    private static final Authenticator LOOPBACK = new BearerTokenAuthenticator(
            List.of((token, audiences) -> Future.succeededFuture(AuthenticationResult.NOT_MINE)));

    private final Authenticator root;
    private final List<String> apiAudiences;
    private final boolean anonymousEnabled;

    private AuthenticatorChain(Authenticator root, List<String> apiAudiences, boolean anonymousEnabled) {
        this.root = root;
        this.apiAudiences = apiAudiences;
        this.anonymousEnabled = anonymousEnabled;
    }

    public static AuthenticatorChain build(Config config) {
        List<Authenticator> authenticators = new ArrayList<>();
        if (config.x509() != null) {
            authenticators.add(config.x509());
        }
        List<TokenAuthenticator> tokens = new ArrayList<>();
        if (config.tokenFile() != null) {
            tokens.add(new AudienceAgnosticTokenAuthenticator(config.apiAudiences(), config.tokenFile()));
        }
        tokens.addAll(config.serviceAccountTokens());
        if (!tokens.isEmpty()) {
            authenticators.add(new BearerTokenAuthenticator(tokens));
        }
        AnonymousAuthenticator anonymous = config.anonymous();
        Authenticator root;
        if (authenticators.isEmpty()) {
            root = anonymous != null ? anonymous : NOTHING;
        } else {
            root = new AuthenticatedGroupAdder(UnionAuthenticator.of(authenticators));
            if (anonymous != null) {
                // a bad bearer token or certificate is an error, never anonymous
                root = UnionAuthenticator.failOnError(List.of(root, anonymous));
            }
        }
        // kube-apiserver puts the token authenticator of its own loopback client in front of everything
        // (genericapiserver.AuthorizeClientBearerToken). No client of the fake holds that token, so it only ever
        // adds "invalid bearer token" to the aggregated error of a bearer token that fails
        root = UnionAuthenticator.of(List.of(LOOPBACK, root));
        return new AuthenticatorChain(root, config.apiAudiences(), anonymous != null);
    }

    public List<String> apiAudiences() {
        return apiAudiences;
    }

    public boolean anonymousEnabled() {
        return anonymousEnabled;
    }

    /**
     * The assembled authenticator's raw answer for a request whose audiences are already set (TokenReview
     * runs tokens through this, as upstream runs them through the server's authenticator).
     */
    @Override
    public Future<AuthenticationResult> authenticate(AuthenticationRequest request) {
        return root.authenticate(request);
    }

    /**
     * What the authentication filter (k8s.io/apiserver/pkg/endpoints/filters/authentication.go) decides:
     * the request is asked for the API audiences, any error or no user is a 401, and so is a credential
     * whose audiences do not meet the API audiences. Called once per request by the authentication stage.
     */
    public Future<AuthenticationOutcome> authenticateRequest(AuthenticationRequest request) {
        AuthenticationRequest asked = apiAudiences.isEmpty() ? request : request.withAudiences(apiAudiences);
        return root.authenticate(asked).map(result -> {
            if (result instanceof AuthenticationResult.Authenticated ok) {
                if (!audiencesAreAcceptable(apiAudiences, ok.audiences())) {
                    return new AuthenticationOutcome.Unauthenticated(List.of("unable to match the audience: "
                            + GoText.list(ok.audiences()) + " , accepted: " + GoText.list(apiAudiences)));
                }
                return new AuthenticationOutcome.Authenticated(ok.user(), ok.audiences());
            }
            if (result instanceof AuthenticationResult.Failed failed) {
                return new AuthenticationOutcome.Unauthenticated(List.of(failed.error()));
            }
            return new AuthenticationOutcome.Unauthenticated(List.of());
        });
    }

    private static boolean audiencesAreAcceptable(List<String> apiAudiences, List<String> responseAudiences) {
        if (apiAudiences.isEmpty() || responseAudiences.isEmpty()) {
            return true;
        }
        return !Audiences.intersect(apiAudiences, responseAudiences).isEmpty();
    }
}
