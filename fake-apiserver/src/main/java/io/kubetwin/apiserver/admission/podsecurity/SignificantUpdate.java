package io.kubetwin.apiserver.admission.podsecurity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * isSignificantPodUpdate (admission/admission.go): a pod update is evaluated only when it adds or removes
 * containers or init containers, changes an image, or adds or changes an ephemeral container's image.
 * Everything else a pod update may change (labels, annotations, tolerations, ...) is always allowed.
 */
final class SignificantUpdate {
    private SignificantUpdate() {}

    static boolean of(JsonNode spec, JsonNode oldSpec) {
        for (String list : new String[] {"containers", "initContainers"}) {
            JsonNode now = spec.path(list);
            JsonNode before = oldSpec.path(list);
            if (now.size() != before.size()) {
                return true;
            }
            for (int i = 0; i < now.size(); i++) {
                if (!image(now.get(i)).equals(image(before.get(i)))) {
                    return true;
                }
            }
        }
        for (JsonNode c : spec.path("ephemeralContainers")) {
            JsonNode old = null;
            for (JsonNode o : oldSpec.path("ephemeralContainers")) {
                if (o.path("name").asText("").equals(c.path("name").asText(""))) {
                    old = o;
                    break;
                }
            }
            if (old == null || !image(c).equals(image(old))) {
                return true;
            }
        }
        return false;
    }

    private static String image(JsonNode container) {
        return container.path("image").asText("");
    }
}
