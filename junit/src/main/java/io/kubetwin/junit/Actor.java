package io.kubetwin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects something of one actor rather than the admin's: on a test method parameter or a field of type
 * {@link KubeTwinActor}, or of fabric8's {@code KubernetesClient}. The value is the actor's name: a declared user's
 * name, or {@code system:serviceaccount:NAMESPACE:NAME} for a declared service account.
 * <pre>{@code
 * @Test
 * void aliceCannotCreatePods(@Actor("alice") KubernetesClient alice, @Actor("alice") KubeTwinActor who) { ... }
 * }</pre>
 * A field with this annotation is injected without {@link KubeTwinInject}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
public @interface Actor {
    /**
     * The actor's name.
     *
     * @return the name
     */
    String value();
}
