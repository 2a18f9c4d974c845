/**
 * The servers: the mux with Go ServeMux semantics, the one place the routes are assembled
 * ({@link io.kubetwin.kubelet.server.KubeletRoutes}), the auth filter, the one place responses are written
 * ({@link io.kubetwin.kubelet.server.Responses}), TLS and the command line.
 */
package io.kubetwin.kubelet.server;
