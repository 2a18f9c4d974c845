package io.kubetwin.kubelet.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The metav1.Status a remote command ends with on the error channel, json.Marshal'd as ServeExec writes it
 * (no kind or apiVersion, empty metadata): Success, or Failure with reason {@code NonZeroExitCode} and an
 * {@code ExitCode} cause carrying the code, which kubectl turns into {@code command terminated with exit code N}
 * and its own exit status. The message is containerd's exit error.
 */
final class RemoteCommandStatus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RemoteCommandStatus() {}

    /** A JSON string as encoding/json writes it: HTML characters escaped. */
    static String goString(String s) {
        try {
            return JSON.writeValueAsString(s)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String success() {
        return "{\"metadata\":{},\"status\":\"Success\"}";
    }

    /**
     * The message: v4 as the kubelet's streaming server writes containerd's exit error; v5 as kube-apiserver's
     * StreamTranslator rewrites it (codeExitToStatusError of client-go's decoded exit error), since the fake
     * speaks v5 only to the fake apiserver, in the translator's place.
     */
    static String exitCodeMessage(List<String> command, int code, boolean translated) {
        // fmt's %v of a []string: [a b c]
        return "command terminated with non-zero exit code: "
                + (translated
                        ? "command terminated with exit code " + code
                        : "error executing command [" + String.join(" ", command) + "], exit code " + code);
    }

    static String exitCode(String message, int code) {
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + goString(message)
                + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\""
                + code + "\"}]}}";
    }
}
