package io.kubetwin.kubelet.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code --authorization-mode=Webhook}: one SubjectAccessReview per attributes, as
 * k8s.io/apiserver/plugin/pkg/authorizer/webhook/webhook.go makes and reads it: the spec (resource or non-resource
 * attributes, user, groups, extra, uid; empty fields omitted) is also the cache key; an allowed answer is cached
 * for {@code cacheAuthorizedTTL}, any other for {@code cacheUnauthorizedTTL}, unless the caller-controlled
 * attributes are too large to cache; {@code denied} is DENY, {@code allowed} ALLOW, neither NO_OPINION, both an
 * error. A review that got no answer is an error (the kubelet's 500), not cached. Blocks on the review: call it on
 * a worker thread. Thread-safe.
 */
public final class WebhookAuthorizer implements Authorizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** webhook.go maxControlledAttrCacheSize. */
    static final int MAX_CONTROLLED_ATTR_CACHE_SIZE = 10000;

    private final ReviewClient client;
    private final Duration authorizedTtl;
    private final Duration unauthorizedTtl;
    private final TtlCache<ReviewClient.SubjectAccessReviewStatus> cache;

    public WebhookAuthorizer(ReviewClient client, Duration authorizedTtl, Duration unauthorizedTtl, Clock clock) {
        this.client = client;
        this.authorizedTtl = authorizedTtl;
        this.unauthorizedTtl = unauthorizedTtl;
        this.cache = new TtlCache<>(clock);
    }

    @Override
    public Decision authorize(Attributes attributes) {
        ObjectNode spec = spec(attributes);
        String key = spec.toString();
        ReviewClient.SubjectAccessReviewStatus status = cache.get(key);
        if (status == null) {
            status = client.subjectAccessReview(spec);
            if (shouldCache(attributes)) {
                cache.put(key, status, status.allowed() ? authorizedTtl : unauthorizedTtl);
            }
        }
        if (status.allowed() && status.denied()) {
            throw new IllegalStateException("webhook subject access review returned both allow and deny response");
        }
        if (status.denied()) {
            return Decision.deny(status.reason());
        }
        return status.allowed() ? Decision.allow(status.reason()) : Decision.noOpinion(status.reason());
    }

    /** SubjectAccessReviewSpec in Go field order, omitempty fields left out. */
    static ObjectNode spec(Attributes a) {
        ObjectNode spec = JSON.createObjectNode();
        if (a.resourceRequest()) {
            ObjectNode r = spec.putObject("resourceAttributes");
            putNonEmpty(r, "namespace", a.namespace());
            putNonEmpty(r, "verb", a.verb());
            putNonEmpty(r, "group", a.apiGroup());
            putNonEmpty(r, "version", a.apiVersion());
            putNonEmpty(r, "resource", a.resource());
            putNonEmpty(r, "subresource", a.subresource());
            putNonEmpty(r, "name", a.name());
        } else {
            ObjectNode n = spec.putObject("nonResourceAttributes");
            putNonEmpty(n, "path", a.path());
            putNonEmpty(n, "verb", a.verb());
        }
        UserInfo user = a.user();
        putNonEmpty(spec, "user", user.name());
        if (!user.groups().isEmpty()) {
            user.groups().forEach(spec.putArray("groups")::add);
        }
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            // Go marshals map keys sorted
            user.extra().keySet().stream()
                    .sorted()
                    .forEach(k -> user.extra().get(k).forEach(extra.putArray(k)::add));
        }
        putNonEmpty(spec, "uid", user.uid());
        return spec;
    }

    private static void putNonEmpty(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    /** webhook.go shouldCache: the requester-controlled attributes must stay small. */
    static boolean shouldCache(Attributes a) {
        long size = (long) a.namespace().length()
                + a.verb().length()
                + a.apiGroup().length()
                + a.apiVersion().length()
                + a.resource().length()
                + a.subresource().length()
                + a.name().length()
                + a.path().length();
        return size < MAX_CONTROLLED_ATTR_CACHE_SIZE;
    }
}
