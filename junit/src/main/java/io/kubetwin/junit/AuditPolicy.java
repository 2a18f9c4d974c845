package io.kubetwin.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;

/**
 * An {@code audit.k8s.io/v1} Policy for the server, from the classpath, from YAML text or built in code. It is
 * validated by the server when it starts, with kube-apiserver's own error messages.
 */
public final class AuditPolicy {
    private static final Set<String> LEVELS = Set.of("None", "Metadata", "Request", "RequestResponse");

    private final String yaml;

    private AuditPolicy(String yaml) {
        this.yaml = yaml;
    }

    /**
     * A policy file on the classpath, read with the context class loader.
     *
     * @param resource the resource path, such as {@code "audit/policy.yaml"}
     * @return the policy
     * @throws IllegalArgumentException when the resource does not exist
     */
    public static AuditPolicy resource(String resource) {
        return new AuditPolicy(Resources.read(resource));
    }

    /**
     * A policy written as YAML (or JSON) text.
     *
     * @param yaml the whole Policy document
     * @return the policy
     */
    public static AuditPolicy yaml(String yaml) {
        return new AuditPolicy(Objects.requireNonNull(yaml, "yaml"));
    }

    /**
     * One rule for every request at {@code level}, without the {@code RequestReceived} stage: what most tests need
     * to see who did what and what the authorizer decided.
     *
     * @param level {@code None}, {@code Metadata}, {@code Request} or {@code RequestResponse}
     * @return the policy
     * @throws IllegalArgumentException for another level
     */
    public static AuditPolicy atLevel(String level) {
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException(
                    "audit level \"" + level + "\" is not one of None, Metadata, Request, RequestResponse");
        }
        return new AuditPolicy("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages:\n- RequestReceived\n"
                + "rules:\n- level: " + level + "\n");
    }

    /**
     * The policy document.
     *
     * @return the YAML (or JSON) text the server reads
     */
    public String yaml() {
        return yaml;
    }

    /** Classpath resources, read with the context class loader (the test's), else this library's. */
    static final class Resources {
        private Resources() {}

        static String read(String resource) {
            String path = resource.startsWith("/") ? resource.substring(1) : resource;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            InputStream in = loader == null ? null : loader.getResourceAsStream(path);
            if (in == null) {
                in = AuditPolicy.class.getClassLoader().getResourceAsStream(path);
            }
            if (in == null) {
                throw new IllegalArgumentException("classpath resource not found: " + resource);
            }
            try (InputStream open = in) {
                return new String(open.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("reading classpath resource " + resource, e);
            }
        }
    }
}
