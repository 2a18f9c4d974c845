package io.kubetwin.scenarios.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/**
 * Someone who sends requests. Each target turns an actor into credentials and a kubeconfig.
 *
 * @param name            how steps refer to the actor ({@code as: name})
 * @param kind            how the actor authenticates
 * @param user            user name (certificate CN, token user); for {@link Kind#SERVICE_ACCOUNT} the account name
 * @param groups          certificate O values
 * @param namespace       the service account's namespace
 * @param token           for {@link Kind#TOKEN}: the bearer token sent (listed in the suite's token file or not)
 * @param certificate     for {@link Kind#CERTIFICATE}: how the certificate is made
 * @param createServiceAccount for {@link Kind#SERVICE_ACCOUNT}: create the account during setup (default true)
 */
public record Actor(
        String name,
        Kind kind,
        String user,
        List<String> groups,
        String namespace,
        String token,
        CertificateOptions certificate,
        Boolean createServiceAccount) {

    public Actor {
        if (name == null || kind == null) {
            throw new IllegalArgumentException("an actor needs a name and a kind");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
        certificate = certificate == null ? CertificateOptions.DEFAULT : certificate;
        createServiceAccount = createServiceAccount == null ? Boolean.TRUE : createServiceAccount;
        if (kind == Kind.SERVICE_ACCOUNT && (namespace == null || user == null)) {
            throw new IllegalArgumentException(
                    "service account actor " + name + " needs user (account name) and namespace");
        }
        if (kind == Kind.CERTIFICATE && user == null) {
            throw new IllegalArgumentException("certificate actor " + name + " needs user");
        }
        if (kind == Kind.TOKEN && token == null) {
            throw new IllegalArgumentException("token actor " + name + " needs token");
        }
    }

    /** The user name kube-apiserver derives for this actor, when it can be known in advance. */
    public String username() {
        return switch (kind) {
            case SERVICE_ACCOUNT -> "system:serviceaccount:" + namespace + ":" + user;
            case ANONYMOUS -> "system:anonymous";
            case ADMIN -> "kubernetes-admin";
            default -> user;
        };
    }

    public enum Kind {
        /** An X.509 client certificate: CN = user, O = groups. */
        CERTIFICATE,
        /** A bearer token (typically from the suite's static token file). */
        TOKEN,
        /** A service account's token obtained through the TokenRequest API. */
        SERVICE_ACCOUNT,
        /** No credentials at all. */
        ANONYMOUS,
        /** The cluster administrator (CN=kubernetes-admin, O=system:masters). */
        ADMIN;

        @JsonCreator
        static Kind fromYaml(String value) {
            return switch (value) {
                case "certificate", "cert" -> CERTIFICATE;
                case "token" -> TOKEN;
                case "serviceAccount" -> SERVICE_ACCOUNT;
                case "anonymous" -> ANONYMOUS;
                case "admin" -> ADMIN;
                default ->
                    throw new IllegalArgumentException(
                            "unknown actor kind " + value + " (certificate, token, serviceAccount, anonymous, admin)");
            };
        }
    }

    /**
     * How a client certificate is made.
     *
     * @param issuer     {@code cluster} (the client CA the server trusts) or {@code untrusted} (a CA it does not know)
     * @param validity   {@code valid}, {@code expired} or {@code notYetValid}
     * @param clientAuth whether the certificate carries the clientAuth extended key usage
     * @param uid        optional subject RDN 1.3.6.1.4.1.57683.2 (user UID, 1.33+)
     * @param via        {@code ca}: issued directly from the client CA when the target hands it out (default);
     *                   {@code csr}: always through the CertificateSigningRequest API
     */
    public record CertificateOptions(Issuer issuer, Validity validity, Boolean clientAuth, String uid, Via via) {
        public static final CertificateOptions DEFAULT = new CertificateOptions(null, null, null, null, null);

        public CertificateOptions {
            issuer = issuer == null ? Issuer.cluster : issuer;
            validity = validity == null ? Validity.valid : validity;
            clientAuth = clientAuth == null ? Boolean.TRUE : clientAuth;
            via = via == null ? Via.ca : via;
        }

        public enum Via {
            ca,
            csr
        }

        public enum Issuer {
            cluster,
            untrusted
        }

        public enum Validity {
            valid,
            expired,
            notYetValid
        }
    }
}
