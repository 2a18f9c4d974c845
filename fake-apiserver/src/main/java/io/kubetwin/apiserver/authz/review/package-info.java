/**
 * The access review APIs of authorization.k8s.io/v1, served by code over the server's authorizer and rule
 * resolver (pkg/registry/authorization): SubjectAccessReview, LocalSubjectAccessReview,
 * SelfSubjectAccessReview ({@code kubectl auth can-i}) and SelfSubjectRulesReview ({@code kubectl auth can-i
 * --list}). The shared spec handling is in {@link io.kubetwin.apiserver.authz.review.AccessReviewSpec}
 * (typed view), {@link io.kubetwin.apiserver.authz.review.AccessReviewValidation} (the 422s) and
 * {@link io.kubetwin.apiserver.authz.review.ReviewAttributes} (spec to authorizer attributes).
 */
package io.kubetwin.apiserver.authz.review;
