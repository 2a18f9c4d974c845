package io.kubetwin.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field for injection by the extension, before each test ({@code static} fields also before
 * {@code @BeforeAll} when the server lives per class): a {@link KubeTwinServer}, an {@link AuditTrail}, the admin's
 * {@link KubeTwinActor}, or the admin's fabric8 {@code KubernetesClient}. Add {@link Actor} for an actor's instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface KubeTwinInject {}
