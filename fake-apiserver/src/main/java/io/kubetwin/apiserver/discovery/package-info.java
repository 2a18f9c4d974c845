/** Discovery documents, /version and health endpoints, built from the recorded reference discovery. */
package io.kubetwin.apiserver.discovery;
