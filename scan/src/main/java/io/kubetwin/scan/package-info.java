/**
 * {@code kubetwin scan}: a behavioural security check of a live cluster. Each check asks the cluster (an anonymous
 * client, access reviews, dry-run creates, the kubelet's and etcd's ports) and reports what it was allowed to do,
 * with the requests and answers that prove it.
 */
package io.kubetwin.scan;
