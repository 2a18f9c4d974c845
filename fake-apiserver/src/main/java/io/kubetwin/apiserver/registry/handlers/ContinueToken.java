package io.kubetwin.apiserver.registry.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.codec.GoJsonSyntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The opaque continue token of chunked lists, in etcd3's format
 * (k8s.io/apiserver/pkg/storage/continue.go): base64url (unpadded) of
 * {@code {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}}, the key being relative to the list's
 * prefix: {@code /name} within one namespace, {@code namespace/name} across namespaces, {@code name}
 * for cluster-scoped resources.
 *
 * @param resourceVersion the list's resourceVersion when the first page was read
 * @param startKey the key to resume at (inclusive), relative to the resource's prefix
 */
public record ContinueToken(long resourceVersion, String startKey) {

    public String encode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("v", "meta.k8s.io/v1");
        o.put("rv", resourceVersion);
        o.put("start", startKey);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key of an object relative to the list's prefix (see the class comment). */
    static String keyOf(boolean listInNamespace, String namespace, String name) {
        if (listInNamespace) {
            return "/" + name;
        }
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Decodes a token; failures carry upstream's message after "invalid continue token: ". */
    public static ContinueToken decode(String token) throws IllegalArgumentException {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(token.replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("continue key is not valid: illegal base64 data at input byte 0");
        }
        Optional<String> syntax = GoJsonSyntax.check(raw);
        if (syntax.isPresent()) {
            throw new IllegalArgumentException("continue key is not valid: " + syntax.get());
        }
        JsonNode node;
        try {
            node = Responses.JSON.readTree(raw);
        } catch (IOException e) {
            throw new IllegalArgumentException("continue key is not valid: " + e.getMessage());
        }
        if (!"meta.k8s.io/v1".equals(node.path("v").asText())) {
            throw new IllegalArgumentException("continue key is not valid: server does not recognize this encoded key");
        }
        long rv = node.path("rv").asLong(0);
        if (rv == 0) {
            throw new IllegalArgumentException(
                    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        String start = node.path("start").asText("");
        if (start.isEmpty()) {
            throw new IllegalArgumentException("continue key is not valid: encoded start key empty");
        }
        if (!goPathClean(start).equals(start)) {
            // storage's DecodeContinue: a key path.Clean would change could step outside the resource's prefix
            throw new IllegalArgumentException("continue key is not valid: " + start);
        }
        return new ContinueToken(rv, start);
    }

    /** Go's path.Clean: lexical, "." for nothing, ".." kept at the start of a relative path. */
    static String goPathClean(String path) {
        boolean rooted = path.startsWith("/");
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty() && !out.peekLast().equals("..")) {
                    out.removeLast();
                } else if (!rooted) {
                    out.addLast("..");
                }
                continue;
            }
            out.addLast(segment);
        }
        String joined = String.join("/", out);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }
}
