/**
 * The pods of the fake node (an in-memory source for now) and their v1 PodList encoding.
 */
package io.kubetwin.kubelet.pods;
