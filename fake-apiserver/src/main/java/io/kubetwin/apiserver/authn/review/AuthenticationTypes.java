package io.kubetwin.apiserver.authn.review;

import static io.kubetwin.apiserver.registry.virtual.GoType.BOOL;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRING;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRINGS;
import static io.kubetwin.apiserver.registry.virtual.GoType.field;
import static io.kubetwin.apiserver.registry.virtual.GoType.optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.virtual.GoType;
import io.kubetwin.apiserver.registry.virtual.KubeTypes;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.kubetwin.auth.attributes.UserInfo;

/**
 * The authentication.k8s.io/v1 review kinds (k8s.io/api/authentication/v1/types.go).
 */
final class AuthenticationTypes {
    static final String GROUP = "authentication.k8s.io";

    private AuthenticationTypes() {}

    static final GoType.Struct USER_INFO = GoType.Struct.of(
            "v1.UserInfo",
            optional("username", STRING),
            optional("uid", STRING),
            optional("groups", STRINGS),
            optional("extra", KubeTypes.extraMap("v1")));

    static final VirtualCreate.Kind TOKEN_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "TokenReview",
            KubeTypes.object(
                    "v1.TokenReview",
                    field(
                            "spec",
                            GoType.Struct.of(
                                    "v1.TokenReviewSpec", optional("token", STRING), optional("audiences", STRINGS))),
                    optional(
                            "status",
                            GoType.Struct.of(
                                    "v1.TokenReviewStatus",
                                    optional("authenticated", BOOL),
                                    optional("user", USER_INFO),
                                    optional("audiences", STRINGS),
                                    optional("error", STRING)))),
            false);

    static final VirtualCreate.Kind SELF_SUBJECT_REVIEW = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "SelfSubjectReview",
            KubeTypes.object(
                    "v1.SelfSubjectReview",
                    optional(
                            "status", GoType.Struct.of("v1.SelfSubjectReviewStatus", optional("userInfo", USER_INFO)))),
            false);

    /** A user as the Go value of {@code v1.UserInfo}. */
    static ObjectNode userInfo(UserInfo user) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode out = nodes.objectNode();
        out.put("username", user.name());
        out.put("uid", user.uid());
        ArrayNode groups = out.putArray("groups");
        user.groups().forEach(groups::add);
        ObjectNode extra = out.putObject("extra");
        user.extra().forEach((key, values) -> {
            ArrayNode list = extra.putArray(key);
            values.forEach(list::add);
        });
        return out;
    }
}
