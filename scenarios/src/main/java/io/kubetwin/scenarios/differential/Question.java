package io.kubetwin.scenarios.differential;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One access question: a SubjectAccessReview body, and, for a sample, the same question as a real request sent by
 * the admin impersonating the subject.
 */
public record Question(int id, String world, ObjectNode subjectAccessReview, RealRequest real) {

    /** A real request; the admin sends it with impersonation headers. */
    public record RealRequest(String method, String path, Map<String, List<String>> headers) {}
}
