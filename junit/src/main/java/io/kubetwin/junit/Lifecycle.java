package io.kubetwin.junit;

/** How long one fake apiserver lives in a test class. */
public enum Lifecycle {
    /** One server for the whole test class (and its {@code @Nested} classes), started before {@code @BeforeAll}. */
    PER_CLASS,
    /** A fresh server for each test method, started before {@code @BeforeEach}: no state leaks between tests. */
    PER_METHOD
}
