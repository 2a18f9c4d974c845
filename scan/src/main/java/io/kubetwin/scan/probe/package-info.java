/** How the scan asks: recorded requests to the apiserver as one identity, and credential-less kubelet/etcd probes. */
package io.kubetwin.scan.probe;
