/**
 * The authentication review APIs of authentication.k8s.io/v1, served by code:
 * {@link io.kubetwin.apiserver.authn.review.TokenReviewResource} (pkg/registry/authentication/tokenreview) and
 * {@link io.kubetwin.apiserver.authn.review.SelfSubjectReviewResource}
 * (pkg/registry/authentication/selfsubjectreview, {@code kubectl auth whoami}).
 */
package io.kubetwin.apiserver.authn.review;
