/**
 * The audit.k8s.io/v1 Event and its parts (levels, stages, the user, object references, response status) and
 * their exact wire forms (JSON, legacy text), as k8s.io/apiserver/pkg/apis/audit keeps them. A leaf below the
 * audit stage, its {@code policy} and its {@code backend}s, so that none of them imports another upwards.
 */
package io.kubetwin.apiserver.audit.event;
