/**
 * Server-side apply and {@code metadata.managedFields}: a structured-merge-diff for the JVM (field sets in the
 * FieldsV1 format, schema-driven compare, merge and removal over JSON trees, with the list and map semantics of the
 * recorded OpenAPI v3 documents and of CRD structural schemas) and the field manager kube-apiserver wraps around
 * every write (k8s.io/apimachinery/pkg/util/managedfields/internal, sigs.k8s.io/structured-merge-diff/v6).
 */
package io.kubetwin.apiserver.registry.apply;
