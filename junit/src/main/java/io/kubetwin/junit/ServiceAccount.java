package io.kubetwin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A service-account actor declared in {@link KubeTwin#serviceAccounts()}: the namespace (when missing) and the
 * service account are created by the admin once the server runs, and the actor authenticates with a token from the
 * TokenRequest API, in its own kubeconfig file. Its actor name is the user name the apiserver gives it,
 * {@code system:serviceaccount:NAMESPACE:NAME}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface ServiceAccount {
    /**
     * The namespace of the service account.
     *
     * @return the namespace
     */
    String namespace();

    /**
     * The name of the service account.
     *
     * @return the name
     */
    String name();
}
