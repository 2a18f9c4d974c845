/**
 * meta.k8s.io Table output ({@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}), as
 * kube-apiserver's printers produce it (pkg/printers/internalversion/printers.go and the default
 * convertor of k8s.io/apiserver/pkg/registry/rest/table.go). Column definitions are recorded from the
 * reference server (columns.json beside this package's classes, every listable resource); the printers are
 * grouped by area (Printers, WorkloadPrinters, NetworkPrinters, StoragePrinters) and found by
 * {@code Printers.forResource}.
 */
package io.kubetwin.apiserver.registry.table;
