/**
 * In-process stand-ins for the kube-controller-manager controllers that security behaviour depends on,
 * so that the fake behaves as a whole control plane (the reference runs the real controller manager).
 */
package io.kubetwin.apiserver.controllers;
