/**
 * Differential testing at scale: random RBAC worlds (roles and cluster roles with wildcards, subresources,
 * resourceNames, nonResourceURLs and aggregation; bindings to users, groups and service accounts across
 * namespaces) and random access questions, asked of two targets as SubjectAccessReviews and as real requests
 * by impersonated users. Every decision, reason and Forbidden message must agree. Everything derives from one
 * seed, printed, so that a failure replays exactly.
 */
package io.kubetwin.scenarios.differential;
