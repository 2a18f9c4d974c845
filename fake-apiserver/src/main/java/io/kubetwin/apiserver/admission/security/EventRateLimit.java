package io.kubetwin.apiserver.admission.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionPlugin;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.flowcontrol.TokenBucket;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EventRateLimit plugin (plugin/pkg/admission/eventratelimit): core Events created or updated beyond the
 * configured rates are refused with 429 {@code Too many requests: limit reached on type <T> for key <k>}. Each
 * limit of the configuration ({@code eventratelimit.admission.k8s.io/v1alpha1 Configuration}) is a token
 * bucket ({@code qps}, {@code burst}) for the whole server, or per namespace, user, or event source and
 * object, the latter three in an LRU of {@code cacheSize} buckets (4096 by default). Dry runs are not counted.
 */
public final class EventRateLimit implements AdmissionPlugin {
    static final int DEFAULT_CACHE_SIZE = 4096;

    private final List<Enforcer> enforcers;

    /** @param configuration the plugin's Configuration; refused (start-up error) when absent or invalid */
    public EventRateLimit(JsonNode configuration, Clock clock) {
        if (configuration == null) {
            throw new IllegalArgumentException("EventRateLimit: no configuration in --admission-control-config-file");
        }
        List<String> errors = new ArrayList<>();
        JsonNode limits = configuration.path("limits");
        if (limits.isEmpty()) {
            errors.add("limits: Invalid value: null: must not be empty");
        }
        List<Enforcer> out = new ArrayList<>();
        int i = 0;
        for (JsonNode l : limits) {
            String type = l.path("type").asText("");
            long qps = l.path("qps").asLong(0);
            long burst = l.path("burst").asLong(0);
            long cacheSize = l.path("cacheSize").asLong(0);
            String path = "limits[" + i++ + "]";
            if (!Set.of("Server", "Namespace", "User", "SourceAndObject").contains(type)) {
                errors.add(path + ".type: Unsupported value: \"" + type + "\"");
            }
            if (burst <= 0) {
                errors.add(path + ".burst: Invalid value: " + burst + ": must be positive");
            }
            if (qps <= 0) {
                errors.add(path + ".qps: Invalid value: " + qps + ": must be positive");
            }
            if (cacheSize < 0) {
                errors.add(path + ".cacheSize: Invalid value: " + cacheSize + ": must not be negative");
            }
            out.add(new Enforcer(type, qps, burst, cacheSize == 0 ? DEFAULT_CACHE_SIZE : (int) cacheSize, clock));
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("EventRateLimit: invalid configuration: " + String.join(", ", errors));
        }
        this.enforcers = List.copyOf(out);
    }

    @Override
    public String name() {
        return "EventRateLimit";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (!a.group().isEmpty() || !"Event".equals(a.kind()) || a.dryRun()) {
            return Future.succeededFuture();
        }
        // every enforcer takes its token, as upstream's loop does, before the refusals are joined
        Set<String> refusals = new LinkedHashSet<>();
        for (Enforcer e : enforcers) {
            String key = e.key(a);
            if (!e.tryAccept(key)) {
                refusals.add("limit reached on type " + e.type + " for key " + key);
            }
        }
        if (refusals.isEmpty()) {
            return Future.succeededFuture();
        }
        String detail = refusals.size() == 1 ? refusals.iterator().next() : "[" + String.join(", ", refusals) + "]";
        return Future.failedFuture(
                new StatusException(Status.failure(429, "TooManyRequests", "Too many requests: " + detail, null)));
    }

    /** One limit: its key function and its token buckets. */
    private static final class Enforcer {
        final String type;
        final double qps;
        final long burst;
        final Clock clock;
        final Map<String, TokenBucket> buckets;

        Enforcer(String type, long qps, long burst, int cacheSize, Clock clock) {
            this.type = type;
            this.qps = qps;
            this.burst = burst;
            this.clock = clock;
            this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
                    return size() > cacheSize;
                }
            };
        }

        String key(AdmissionAttributes a) {
            return switch (type) {
                case "Namespace" -> a.namespace();
                case "User" -> a.user() == null ? "" : a.user().name();
                case "SourceAndObject" -> sourceAndObject(a.object());
                default -> "";
            };
        }

        private static String sourceAndObject(JsonNode event) {
            if (event == null) {
                return "";
            }
            JsonNode o = event.path("involvedObject");
            return event.path("source").path("component").asText("")
                    + event.path("source").path("host").asText("")
                    + o.path("kind").asText("")
                    + o.path("namespace").asText("")
                    + o.path("name").asText("")
                    + o.path("uid").asText("")
                    + o.path("apiVersion").asText("");
        }

        synchronized boolean tryAccept(String key) {
            return buckets.computeIfAbsent(key, k -> new TokenBucket(qps, burst, this::nanos))
                    .tryAccept();
        }

        private long nanos() {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }
}
