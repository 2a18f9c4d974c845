/** The demo cluster: a fake apiserver as {@code --demo} starts it, with fake kubelets registered as its nodes. */
package io.kubetwin.demo;
