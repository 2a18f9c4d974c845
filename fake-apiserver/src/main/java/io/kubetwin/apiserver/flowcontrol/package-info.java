/** Rate limiting shared by the stages that throttle (client-go's flowcontrol): a leaf below audit and admission. */
package io.kubetwin.apiserver.flowcontrol;
