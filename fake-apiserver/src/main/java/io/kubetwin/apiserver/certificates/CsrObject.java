package io.kubetwin.apiserver.certificates;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed, read-only view of a stored CertificateSigningRequest (certificates.k8s.io/v1), for the
 * validation, admission and controller code that must not walk JSON trees.
 *
 * @param name metadata.name
 * @param request spec.request as sent: base64 of the PEM bytes
 * @param signerName spec.signerName
 * @param usages spec.usages in order
 * @param expirationSeconds spec.expirationSeconds, null when unset
 * @param username spec.username (the requester, stamped on create)
 * @param uid spec.uid
 * @param groups spec.groups
 * @param extra spec.extra
 * @param conditions status.conditions in order
 * @param certificate status.certificate as stored: base64 of PEM bytes, "" when unset
 */
public record CsrObject(
        String name,
        String request,
        String signerName,
        List<String> usages,
        Long expirationSeconds,
        String username,
        String uid,
        List<String> groups,
        Map<String, List<String>> extra,
        List<Condition> conditions,
        String certificate) {

    public static final String APPROVED = "Approved";
    public static final String DENIED = "Denied";
    public static final String FAILED = "Failed";

    /** One status condition; absent strings are "". */
    public record Condition(
            String type,
            String status,
            String reason,
            String message,
            String lastUpdateTime,
            String lastTransitionTime) {}

    public static CsrObject of(JsonNode csr) {
        JsonNode spec = csr.path("spec");
        JsonNode status = csr.path("status");
        List<Condition> conditions = new ArrayList<>();
        for (JsonNode c : status.path("conditions")) {
            conditions.add(new Condition(
                    text(c, "type"),
                    text(c, "status"),
                    text(c, "reason"),
                    text(c, "message"),
                    text(c, "lastUpdateTime"),
                    text(c, "lastTransitionTime")));
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        spec.path("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), strings(e.getValue())));
        JsonNode exp = spec.get("expirationSeconds");
        return new CsrObject(
                text(csr.path("metadata"), "name"),
                text(spec, "request"),
                text(spec, "signerName"),
                strings(spec.path("usages")),
                exp == null || exp.isNull() ? null : exp.asLong(),
                text(spec, "username"),
                text(spec, "uid"),
                strings(spec.path("groups")),
                extra,
                conditions,
                text(status, "certificate"));
    }

    /** The PEM bytes of spec.request; empty when absent or not base64 (the decoder would have refused it). */
    public byte[] requestBytes() {
        return decode(request);
    }

    /** The PEM bytes of status.certificate. */
    public byte[] certificateBytes() {
        return decode(certificate);
    }

    /** GetCertApprovalCondition: whether an Approved condition is present, whatever its status. */
    public boolean hasApprovedCondition() {
        return conditions.stream().anyMatch(c -> APPROVED.equals(c.type()));
    }

    public boolean hasDeniedCondition() {
        return conditions.stream().anyMatch(c -> DENIED.equals(c.type()));
    }

    /** IsCertificateRequestApproved: approved and not denied. */
    public boolean approved() {
        return hasApprovedCondition() && !hasDeniedCondition();
    }

    /** HasTrueCondition: a condition of the type whose status is True or empty. */
    public boolean hasTrueCondition(String type) {
        return conditions.stream()
                .anyMatch(c -> type.equals(c.type()) && (c.status().isEmpty() || "True".equals(c.status())));
    }

    static byte[] decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(base64.replace("\r", "").replace("\n", ""));
        } catch (IllegalArgumentException e) {
            return base64.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
