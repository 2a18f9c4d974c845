package io.kubetwin.apiserver.audit.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The example policies shipped with the fake apiserver (resources under
 * {@code io/kubetwin/apiserver/audit/policies/}); each is accepted by kube-apiserver v1.34 as is:
 * <ul>
 *   <li>{@link #METADATA} - everything at Metadata;</li>
 *   <li>{@link #IGNORE_SYSTEM_USERS} - control-plane identities not audited, the rest at Request;</li>
 *   <li>{@link #ALIBABA_BEST_PRACTICE} - Alibaba Cloud's best-practice policy from the first seed article;</li>
 *   <li>{@link #ADMIN_ANONYMOUS} - the {@code admin} and {@code system:anonymous} policy of the second seed article;</li>
 *   <li>{@link #GKE_PROFILE} - our rewrite of GKE's published audit profile.</li>
 * </ul>
 */
public final class ExamplePolicies {
    public static final String METADATA = "metadata.yaml";
    public static final String IGNORE_SYSTEM_USERS = "ignore-system-users.yaml";
    public static final String ALIBABA_BEST_PRACTICE = "alibaba-best-practice.yaml";
    public static final String ADMIN_ANONYMOUS = "admin-anonymous.yaml";
    public static final String GKE_PROFILE = "gke-profile.yaml";
    public static final List<String> ALL =
            List.of(METADATA, IGNORE_SYSTEM_USERS, ALIBABA_BEST_PRACTICE, ADMIN_ANONYMOUS, GKE_PROFILE);
    private static final String DIR = "/io/kubetwin/apiserver/audit/policies/";

    private ExamplePolicies() {}

    /** The YAML of an example, e.g. to write it to a file for {@code --audit-policy-file}. */
    public static String text(String name) {
        try (InputStream in = ExamplePolicies.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no example policy " + name + "; there are " + ALL);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example, loaded and validated. */
    public static Policy load(String name) {
        try {
            return PolicyLoader.parse(text(name)).policy();
        } catch (PolicyLoadException e) {
            throw new IllegalStateException("example policy " + name + " is invalid: " + e.getMessage(), e);
        }
    }
}
