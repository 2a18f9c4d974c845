package io.kubetwin.apiserver.admission.policy;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.List;

/**
 * The {@code authorizer} variable (k8s.io/apiserver/pkg/cel/library/authz.go): {@code authorizer.path(p)} and
 * {@code authorizer.group(g).resource(r)[.subresource(s)][.namespace(n)][.name(n)]}, then {@code check(verb)}
 * giving a decision with {@code allowed()}, {@code reason()}, {@code errored()} and {@code error()};
 * {@code authorizer.serviceAccount(ns, name)} asks for that service account instead. Backed by the server's
 * authorizer, which is synchronous and never blocks.
 */
final class AuthorizerLibrary {
    private AuthorizerLibrary() {}

    static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
    static final OpaqueType PATH_CHECK = OpaqueType.create("kubernetes.authorization.PathCheck");
    static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
    static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
    static final OpaqueType DECISION = OpaqueType.create("kubernetes.authorization.Decision");

    /** The authorizer of one request's user. */
    record Target(Authorizer authorizer, UserInfo user) {}

    record PathCheck(Target target, String path) {}

    record GroupCheck(Target target, String group) {}

    record ResourceCheck(
            Target target, String group, String resource, String subresource, String namespace, String name) {
        ResourceCheck with(String sub, String ns, String n) {
            return new ResourceCheck(target, group, resource, sub, ns, n);
        }
    }

    record AuthzDecision(Decision decision, String error) {}

    static List<CelFunctionDecl> declarations() {
        return List.of(
                fn(
                        "path",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_path", PATH_CHECK, AUTHORIZER, SimpleType.STRING)),
                fn(
                        "group",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_group", GROUP_CHECK, AUTHORIZER, SimpleType.STRING)),
                fn(
                        "serviceAccount",
                        CelOverloadDecl.newMemberOverload(
                                "authorizer_serviceaccount",
                                AUTHORIZER,
                                AUTHORIZER,
                                SimpleType.STRING,
                                SimpleType.STRING)),
                fn(
                        "resource",
                        CelOverloadDecl.newMemberOverload(
                                "groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, SimpleType.STRING)),
                fn(
                        "subresource",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                fn(
                        "namespace",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                fn(
                        "name",
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                        "check",
                        CelOverloadDecl.newMemberOverload("pathcheck_check", DECISION, PATH_CHECK, SimpleType.STRING),
                        CelOverloadDecl.newMemberOverload(
                                "resourcecheck_check", DECISION, RESOURCE_CHECK, SimpleType.STRING)),
                fn("allowed", CelOverloadDecl.newMemberOverload("decision_allowed", SimpleType.BOOL, DECISION)),
                fn("reason", CelOverloadDecl.newMemberOverload("decision_reason", SimpleType.STRING, DECISION)),
                fn("errored", CelOverloadDecl.newMemberOverload("decision_errored", SimpleType.BOOL, DECISION)),
                fn("error", CelOverloadDecl.newMemberOverload("decision_error", SimpleType.STRING, DECISION)));
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl overload) {
        return CelFunctionDecl.newFunctionDeclaration(name, overload);
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from(
                        "authorizer_path", Target.class, String.class, (Target t, String p) -> new PathCheck(t, p)),
                CelFunctionBinding.from(
                        "authorizer_group", Target.class, String.class, (Target t, String g) -> new GroupCheck(t, g)),
                CelFunctionBinding.from(
                        "authorizer_serviceaccount",
                        List.of(Target.class, String.class, String.class),
                        args -> serviceAccount((Target) args[0], (String) args[1], (String) args[2])),
                CelFunctionBinding.from(
                        "groupcheck_resource",
                        GroupCheck.class,
                        String.class,
                        (GroupCheck g, String r) -> new ResourceCheck(g.target(), g.group(), r, "", "", "")),
                CelFunctionBinding.from(
                        "resourcecheck_subresource",
                        ResourceCheck.class,
                        String.class,
                        (ResourceCheck r, String s) -> r.with(s, r.namespace(), r.name())),
                CelFunctionBinding.from(
                        "resourcecheck_namespace",
                        ResourceCheck.class,
                        String.class,
                        (ResourceCheck r, String s) -> r.with(r.subresource(), s, r.name())),
                CelFunctionBinding.from(
                        "resourcecheck_name",
                        ResourceCheck.class,
                        String.class,
                        (ResourceCheck r, String s) -> r.with(r.subresource(), r.namespace(), s)),
                CelFunctionBinding.from(
                        "pathcheck_check",
                        PathCheck.class,
                        String.class,
                        (PathCheck p, String verb) -> decide(
                                p.target(), Attributes.nonResource(p.target().user(), verb, p.path()))),
                CelFunctionBinding.from(
                        "resourcecheck_check",
                        ResourceCheck.class,
                        String.class,
                        (ResourceCheck r, String verb) -> decide(
                                r.target(),
                                Attributes.resource(
                                        r.target().user(),
                                        verb,
                                        r.group(),
                                        r.resource(),
                                        r.subresource(),
                                        r.namespace(),
                                        r.name()))),
                CelFunctionBinding.from(
                        "decision_allowed", AuthzDecision.class, d -> d.decision() instanceof Decision.Allow),
                CelFunctionBinding.from("decision_reason", AuthzDecision.class, AuthorizerLibrary::reason),
                CelFunctionBinding.from("decision_errored", AuthzDecision.class, d -> d.error() != null),
                CelFunctionBinding.from(
                        "decision_error", AuthzDecision.class, d -> d.error() == null ? "" : d.error()));
    }

    /** serviceaccount.UserInfo: the account's user name and groups. */
    private static Target serviceAccount(Target t, String namespace, String name) {
        UserInfo sa = UserInfo.of(
                UserInfo.SERVICE_ACCOUNT_PREFIX + namespace + ":" + name,
                UserInfo.SERVICE_ACCOUNTS_GROUP,
                UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + namespace);
        return new Target(t.authorizer(), sa);
    }

    private static AuthzDecision decide(Target t, Attributes attributes) {
        try {
            return new AuthzDecision(t.authorizer().authorize(attributes), null);
        } catch (RuntimeException e) {
            return new AuthzDecision(new Decision.NoOpinion(""), String.valueOf(e.getMessage()));
        }
    }

    private static String reason(AuthzDecision d) {
        Decision decision = d.decision();
        if (decision instanceof Decision.Allow a) {
            return a.reason();
        }
        if (decision instanceof Decision.Deny x) {
            return x.reason();
        }
        return ((Decision.NoOpinion) decision).reason();
    }
}
