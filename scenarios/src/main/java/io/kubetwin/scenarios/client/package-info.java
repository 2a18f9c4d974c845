/**
 * How the runner talks to a target: an HTTP client built from a kubeconfig's credentials (java.net.http, TLS
 * with the cluster CA, the actor's client certificate or bearer token), and kubectl run with the actor's
 * kubeconfig.
 */
package io.kubetwin.scenarios.client;
