package io.kubetwin.junit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Someone who talks to the fake apiserver: the admin, a declared user or a declared service account, with a
 * kubeconfig of their own (as a file, for tools such as kubectl, and as text, for clients built in the test).
 * Immutable.
 */
public final class KubeTwinActor {
    /** How an actor authenticates. */
    public enum Kind {
        /** A client certificate signed by the cluster CA. */
        CLIENT_CERTIFICATE,
        /** A static bearer token from the server's token file. */
        STATIC_TOKEN,
        /** A service-account token from the TokenRequest API. */
        SERVICE_ACCOUNT
    }

    private final String name;
    private final List<String> groups;
    private final Kind kind;
    private final String kubeconfig;
    private final Path kubeconfigPath;
    private final String token;

    KubeTwinActor(String name, List<String> groups, Kind kind, String kubeconfig, Path kubeconfigPath, String token) {
        this.name = name;
        this.groups = List.copyOf(groups);
        this.kind = kind;
        this.kubeconfig = kubeconfig;
        this.kubeconfigPath = kubeconfigPath;
        this.token = token;
    }

    /**
     * The user name the apiserver authenticates this actor as.
     *
     * @return the name, such as {@code alice} or {@code system:serviceaccount:team:operator}
     */
    public String name() {
        return name;
    }

    /**
     * The groups declared for this actor (the server adds {@code system:authenticated}, and the service-account
     * groups for service accounts).
     *
     * @return the declared groups
     */
    public List<String> groups() {
        return groups;
    }

    /**
     * How this actor authenticates.
     *
     * @return the kind of credential
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The actor's kubeconfig: the server URL, the cluster CA and the actor's credential, one context, current.
     *
     * @return the kubeconfig YAML
     */
    public String kubeconfig() {
        return kubeconfig;
    }

    /**
     * Where {@link #kubeconfig()} is written (readable by the test's user only), inside the server's working
     * directory: deleted when the server stops.
     *
     * @return the kubeconfig file
     */
    public Path kubeconfigPath() {
        return kubeconfigPath;
    }

    /**
     * The bearer token, for static-token users and service accounts.
     *
     * @return the token, or empty for a client certificate
     */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    @Override
    public String toString() {
        return "KubeTwinActor[" + name + ", " + kind + ", groups=" + groups + "]";
    }
}
