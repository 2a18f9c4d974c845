/** Typed API values shared by the pipeline: Status errors and the models the security logic reads. */
package io.kubetwin.apiserver.api;
