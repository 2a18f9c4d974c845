package io.kubetwin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A user actor declared in {@link KubeTwin#users()}: a client certificate signed by the cluster CA ({@code CN} = name,
 * one {@code O} per group), or, when {@link #token()} is set, a static bearer token from the server's token file.
 * Either way the actor gets its own kubeconfig file.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface User {
    /**
     * The user name as the apiserver sees it.
     *
     * @return the user name
     */
    String name();

    /**
     * The groups the user belongs to ({@code system:authenticated} is added by the server).
     *
     * @return the groups, none by default
     */
    String[] groups() default {};

    /**
     * A static bearer token ({@code --token-auth-file}) instead of a client certificate.
     *
     * @return the token, or empty for a client certificate
     */
    String token() default "";
}
