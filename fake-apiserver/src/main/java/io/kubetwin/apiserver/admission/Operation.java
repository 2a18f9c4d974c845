package io.kubetwin.apiserver.admission;

/** The admission operations (k8s.io/apiserver/pkg/admission/interfaces.go). */
public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    CONNECT
}
