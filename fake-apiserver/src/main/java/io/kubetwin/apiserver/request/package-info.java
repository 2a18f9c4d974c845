/** Request attributes derived from the URL, and the typed per-request state shared by the pipeline stages. */
package io.kubetwin.apiserver.request;
