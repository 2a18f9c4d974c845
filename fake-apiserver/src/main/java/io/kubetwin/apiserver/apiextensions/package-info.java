/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1) as the apiextensions-apiserver inside
 * kube-apiserver serves them: the CRD kind's strategy and validation
 * (apiextensions-apiserver pkg/registry/customresourcedefinition, pkg/apis/apiextensions/validation),
 * the controllers that accept names, establish, serve and finally clean up a CRD
 * (pkg/controller/status, establish, finalizer and the crdHandler), and the strategy of custom objects
 * (pkg/registry/customresource) with the part of OpenAPI schema validation the fake performs: type
 * checks and pruning of unknown fields.
 */
package io.kubetwin.apiserver.apiextensions;
