package io.kubetwin.apiserver.admission.imagepolicy;

import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionErrors;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * ImagePolicyWebhook (plugin/pkg/admission/imagepolicy/admission.go), a validating plugin for pod creates and
 * updates and for writes of pods/ephemeralcontainers: it asks the backend of its kubeconfig about the images in an
 * ImageReview and refuses the pod when the backend does not allow them
 * ({@code pods "p" is forbidden: image policy webhook backend denied one or more images: <reason>}, or
 * {@code one or more images rejected by webhook backend} without a reason). The backend's audit annotations are
 * recorded as {@code imagepolicywebhook.image-policy.k8s.io/<key>}. When the backend cannot be asked,
 * {@code defaultAllow} decides: true allows and records {@code imagepolicywebhook.image-policy.k8s.io/failed-open:
 * "true"}, false refuses with the error (a 403 answer of the backend is passed on as it is).
 *
 * <p>Answers are reused, by review spec, for {@code allowTTL} or {@code denyTTL} (an LRU of 1024, as upstream's).
 * Thread-safe.
 */
public final class ImagePolicyWebhook implements AdmissionPlugin {
    public static final String NAME = "ImagePolicyWebhook";
    static final String AUDIT_PREFIX = "imagepolicywebhook.image-policy.k8s.io/";
    private static final int CACHE_SIZE = 1024;

    private final ImagePolicyConfig config;
    private final ImagePolicyBackend backend;
    private final Clock clock;
    private final Map<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private record Cached(ImageReviews.Answer answer, Instant expires) {}

    public ImagePolicyWebhook(Vertx vertx, ImagePolicyConfig config, Clock clock) {
        this.config = config;
        this.backend = new ImagePolicyBackend(vertx, config.kubeconfig(), config.retryBackoff());
        this.clock = clock;
    }

    /**
     * The plugin from its entry in the admission configuration; a start-up error worded as kube-apiserver's
     * ({@code failed to apply admission: couldn't init admission plugin "ImagePolicyWebhook": ...}).
     */
    public static ImagePolicyWebhook create(
            Vertx vertx, Optional<com.fasterxml.jackson.databind.JsonNode> configuration, Clock clock) {
        try {
            return new ImagePolicyWebhook(vertx, ImagePolicyConfig.parse(configuration.orElse(null)), clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "failed to apply admission: couldn't init admission plugin \"" + NAME + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        Optional<String> spec = ImageReviews.spec(a);
        if (spec.isEmpty()) {
            return Future.succeededFuture();
        }
        if (a.object() == null) {
            return Future.failedFuture(io.kubetwin.apiserver.api.Statuses.badRequest(
                    "Resource was marked with kind Pod but was unable to be converted"));
        }
        String key = spec.get();
        ImageReviews.Answer cached = cached(key);
        if (cached != null) {
            return decide(a, cached);
        }
        return backend.review(ImageReviews.body(key)).transform(ar -> {
            if (ar.failed()) {
                return failed(a, ar.cause());
            }
            ImageReviews.Answer answer = ar.result();
            remember(key, answer);
            return decide(a, answer);
        });
    }

    private Future<Void> decide(AdmissionAttributes a, ImageReviews.Answer answer) {
        answer.auditAnnotations().forEach((k, v) -> a.recorder().annotate(AUDIT_PREFIX + k, v));
        if (answer.allowed()) {
            return Future.succeededFuture();
        }
        String why = answer.reason().isEmpty()
                ? "one or more images rejected by webhook backend"
                : "image policy webhook backend denied one or more images: " + answer.reason();
        return Future.failedFuture(AdmissionErrors.forbidden(a, why));
    }

    /** webhookError: fail open with the audit annotation, or refuse with the error (admission.NewForbidden). */
    private Future<Void> failed(AdmissionAttributes a, Throwable cause) {
        if (config.defaultAllow()) {
            a.recorder().annotate(AUDIT_PREFIX + "failed-open", "true");
            return Future.succeededFuture();
        }
        if (cause instanceof ImagePolicyBackend.BackendException e) {
            Status status = e.status();
            // NewForbidden does not wrap an error that already is a Forbidden one
            if (status != null && "Forbidden".equals(status.reason())) {
                return Future.failedFuture(new StatusException(status));
            }
            return Future.failedFuture(AdmissionErrors.forbidden(a, e.getMessage()));
        }
        return Future.failedFuture(cause);
    }

    private ImageReviews.Answer cached(String key) {
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c == null) {
                return null;
            }
            if (clock.instant().isAfter(c.expires())) {
                cache.remove(key);
                return null;
            }
            return c.answer();
        }
    }

    private void remember(String key, ImageReviews.Answer answer) {
        Duration ttl = answer.allowed() ? config.allowTtl() : config.denyTtl();
        if (ttl.isZero()) {
            return;
        }
        synchronized (cache) {
            cache.put(key, new Cached(answer, clock.instant().plus(ttl)));
        }
    }
}
