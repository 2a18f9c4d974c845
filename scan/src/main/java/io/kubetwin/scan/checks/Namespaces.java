package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scan.probe.Answer;
import java.util.ArrayList;
import java.util.List;

/** The namespaces the scanning user can list, with the answer that listed them. */
record Namespaces(Answer answer, List<JsonNode> items) {

    /** Lists the namespaces; notes and returns null when the user may not. */
    static Namespaces list(ScanContext context, Findings out) {
        var answer = context.user().get("/api/v1/namespaces");
        if (!answer.ok()) {
            out.note("namespaces not listed: " + answer.exchange().summary());
            return null;
        }
        var items = new ArrayList<JsonNode>();
        answer.json().path("items").forEach(items::add);
        return new Namespaces(answer, items);
    }

    static String name(JsonNode namespace) {
        return namespace.path("metadata").path("name").asText();
    }
}
