package io.kubetwin.apiserver.authz;

import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks each authorizer in turn; the first Allow or Deny wins. When all have no opinion the answer is NoOpinion
 * whose reason is the non-empty reasons joined by "\n". Mirrors
 * k8s.io/apiserver/pkg/authorization/union/union.go.
 *
 * <p>A failing authorizer (one that throws) does not stop the chain, as upstream collects its error and asks the
 * next one; if no later authorizer gives an opinion, the failure is rethrown so the request ends in a 500
 * (upstream returns the aggregated error next to NoOpinion). Thread-safe when its members are.
 */
public final class UnionAuthorizer implements Authorizer {
    private final List<Authorizer> authorizers;

    public UnionAuthorizer(List<? extends Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    public static UnionAuthorizer of(Authorizer... authorizers) {
        return new UnionAuthorizer(List.of(authorizers));
    }

    public List<Authorizer> authorizers() {
        return authorizers;
    }

    @Override
    public Decision authorize(Attributes attributes) {
        List<String> reasons = new ArrayList<>();
        List<RuntimeException> errors = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision;
            try {
                decision = authorizer.authorize(attributes);
            } catch (RuntimeException e) {
                errors.add(e);
                continue;
            }
            if (!decision.reason().isEmpty()) {
                reasons.add(decision.reason());
            }
            if (decision instanceof Decision.Allow || decision instanceof Decision.Deny) {
                return decision;
            }
        }
        if (!errors.isEmpty()) {
            throw aggregate(errors);
        }
        return Decision.noOpinion(String.join("\n", reasons));
    }

    private static RuntimeException aggregate(List<RuntimeException> errors) {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        RuntimeException all = new IllegalStateException(GoText.aggregate(
                errors.stream().map(e -> String.valueOf(e.getMessage())).toList()));
        errors.forEach(all::addSuppressed);
        return all;
    }
}
