package io.kubetwin.scan.audit;

import java.util.List;

/**
 * The starter set of 20 detection rules ({@code starter-rules.yaml} beside this class), covering the seed articles'
 * concerns: anonymous access, exec into pods, secret reads, RBAC changes, impersonation, privileged pods, untrusted
 * images, the kubelet's proxy, tokens, certificates and webhooks; and the requesters a rule file's {@code requesters}
 * name. Each rule watches its requests as sent by a person, a service account and a node (and, where it is about
 * them, anonymous clients), because a policy may log one and drop another.
 */
public final class StarterRules {
    private StarterRules() {}

    /** The requesters a rule's requests are sent by. */
    public record Requester(String label, String user, List<String> groups) {}

    public static final Requester PERSON =
            new Requester("a person", "alice", List.of("company", "system:authenticated"));
    public static final Requester SERVICE_ACCOUNT = new Requester(
            "a service account",
            "system:serviceaccount:default:app",
            List.of("system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"));
    public static final Requester NODE =
            new Requester("a node", "system:node:node-1", List.of("system:nodes", "system:authenticated"));
    public static final Requester ANONYMOUS =
            new Requester("an anonymous client", "system:anonymous", List.of("system:unauthenticated"));
    public static final List<Requester> AUTHENTICATED = List.of(PERSON, SERVICE_ACCOUNT, NODE);

    /** The starter rules: {@code starter-rules.yaml}, in Falco's rule-file format (see {@link RuleFile}). */
    public static List<DetectionRule> all() {
        return RuleFile.resource("starter-rules.yaml");
    }
}
