package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.PodReferences;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The ServiceAccount plugin (plugin/pkg/admission/serviceaccount/admission.go), enabled by default in
 * kube-apiserver. On pod create it defaults {@code spec.serviceAccountName} to {@code default}, refuses
 * pods whose account does not exist, mounts the projected token volume unless the pod or the account
 * opts out, and copies the account's image pull secrets into pods that have none. Mirror pods are not
 * changed, but may reference neither an account nor secrets nor token projections. Accounts annotated
 * {@code kubernetes.io/enforce-mountable-secrets: "true"} limit the secrets their pods may use, on
 * create and on pods/ephemeralcontainers updates. Other updates are left to validation (which keeps
 * {@code spec.serviceAccountName} immutable).
 */
public final class ServiceAccountAdmission implements AdmissionPlugin {

    /** The account pods without one get. */
    public static final String DEFAULT_SERVICE_ACCOUNT = "default";
    /** The annotation the kubelet puts on the API copies of static pods. */
    public static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    /** Upstream tries the default account ten times, as the serviceaccount controller may not have created it yet. */
    private static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

    /** Reads a ServiceAccount; answers empty when it does not exist and fails on any other error. */
    @FunctionalInterface
    public interface ServiceAccountGetter {
        Future<Optional<ServiceAccountInfo>> find(String namespace, String name);
    }

    /** Waits without blocking between look-ups of the default account. */
    @FunctionalInterface
    public interface Pause {
        Future<Void> after(Duration delay);

        /** No wait at all (tests). */
        static Pause none() {
            return d -> Future.succeededFuture();
        }

        /** A Vert.x timer. */
        static Pause timer(Vertx vertx) {
            return d -> vertx.timer(d.toMillis(), TimeUnit.MILLISECONDS).mapEmpty();
        }
    }

    private static final ResourceKey SERVICE_ACCOUNTS = new ResourceKey("", "serviceaccounts");

    private final ServiceAccountGetter accounts;
    private final Pause pause;
    private final UnaryOperator<String> nameGenerator;

    /**
     * @param accounts where accounts are read
     * @param pause the wait between look-ups of a missing default account
     * @param nameGenerator names.SimpleNameGenerator: a prefix to the prefix plus five random characters
     */
    public ServiceAccountAdmission(ServiceAccountGetter accounts, Pause pause, UnaryOperator<String> nameGenerator) {
        this.accounts = accounts;
        this.pause = pause;
        this.nameGenerator = nameGenerator;
    }

    /** Reads accounts directly from storage (the fake has no informer cache to fall back from). */
    public static ServiceAccountAdmission overStorage(
            Storage storage, Vertx vertx, UnaryOperator<String> nameGenerator) {
        return new ServiceAccountAdmission(
                (namespace, name) -> storage.get(SERVICE_ACCOUNTS.object(namespace, name))
                        .map(sa -> Optional.of(ServiceAccountInfo.of(sa)))
                        .recover(e ->
                                e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND
                                        ? Future.succeededFuture(Optional.empty())
                                        : Future.failedFuture(e)),
                Pause.timer(vertx),
                nameGenerator);
    }

    @Override
    public String name() {
        return "ServiceAccount";
    }

    @Override
    public boolean handles(Operation operation) {
        return operation == Operation.CREATE || operation == Operation.UPDATE;
    }

    @Override
    public Future<Void> admit(AdmissionAttributes a) {
        if (ignores(a) || a.operation() != Operation.CREATE) {
            return Future.succeededFuture();
        }
        ObjectNode pod = a.object();
        if (isMirrorPod(pod)) {
            // the kubelet deletes mirror pods whose spec differs from its static pod, so they are only checked
            return validate(a);
        }
        ObjectNode spec = spec(pod);
        if (spec.path("serviceAccountName").asText("").isEmpty()) {
            spec.put("serviceAccountName", DEFAULT_SERVICE_ACCOUNT);
        }
        String accountName = spec.path("serviceAccountName").asText();
        return account(a, accountName).compose(sa -> {
            if (automounts(sa, spec)) {
                ServiceAccountTokenVolume.mount(spec, nameGenerator);
            }
            if (spec.path("imagePullSecrets").size() == 0) {
                // the pod's list is replaced by a copy of the account's; an empty list is not serialised
                if (sa.imagePullSecrets().isEmpty()) {
                    spec.remove("imagePullSecrets");
                } else {
                    ArrayNode pulls = spec.putArray("imagePullSecrets");
                    sa.imagePullSecrets().forEach(n -> pulls.addObject().put("name", n));
                }
            }
            return validate(a);
        });
    }

    @Override
    public Future<Void> validate(AdmissionAttributes a) {
        if (ignores(a)) {
            return Future.succeededFuture();
        }
        ObjectNode pod = a.object();
        String accountName = pod.path("spec").path("serviceAccountName").asText("");
        if (a.operation() == Operation.UPDATE && "ephemeralcontainers".equals(a.subresource())) {
            if (accountName.isEmpty()) {
                return Future.failedFuture(noAccount(a, pod));
            }
            // upstream returns these violations as plain errors, which reach the client as a 500
            return account(a, accountName)
                    .compose(sa -> sa.enforcesMountableSecrets()
                            ? MountableSecrets.ephemeralViolation(sa, pod)
                                    .<Future<Void>>map(v ->
                                            Future.failedFuture(new StatusException(Status.failure(500, "", v, null))))
                                    .orElse(Future.succeededFuture())
                            : Future.succeededFuture());
        }
        if (a.operation() != Operation.CREATE) {
            return Future.succeededFuture();
        }
        if (isMirrorPod(pod)) {
            return mirrorPodRefusal(pod)
                    .<Future<Void>>map(d -> Future.failedFuture(AdmissionErrors.forbidden(a, d)))
                    .orElse(Future.succeededFuture());
        }
        if (accountName.isEmpty()) {
            return Future.failedFuture(noAccount(a, pod));
        }
        return account(a, accountName)
                .compose(sa -> sa.enforcesMountableSecrets()
                        ? MountableSecrets.violation(sa, pod)
                                .<Future<Void>>map(v -> Future.failedFuture(AdmissionErrors.forbidden(a, v)))
                                .orElse(Future.succeededFuture())
                        : Future.succeededFuture());
    }

    /** What a mirror pod may not reference, in upstream's order of checks. */
    static Optional<String> mirrorPodRefusal(JsonNode pod) {
        if (!pod.path("spec").path("serviceAccountName").asText("").isEmpty()) {
            return Optional.of("a mirror pod may not reference service accounts");
        }
        if (!PodReferences.secretNames(pod).isEmpty()) {
            return Optional.of("a mirror pod may not reference secrets");
        }
        if (PodReferences.hasServiceAccountTokenProjection(pod)) {
            return Optional.of("a mirror pod may not use ServiceAccountToken volume projections");
        }
        return Optional.empty();
    }

    /** shouldAutomount: the pod's preference wins, then the account's; mounting is the default. */
    static boolean automounts(ServiceAccountInfo sa, JsonNode spec) {
        JsonNode pod = spec.path("automountServiceAccountToken");
        if (pod.isBoolean()) {
            return pod.asBoolean();
        }
        if (sa.automountServiceAccountToken() != null) {
            return sa.automountServiceAccountToken();
        }
        return true;
    }

    /** shouldIgnore: only pods proper and pods/ephemeralcontainers, with a Pod object. */
    private static boolean ignores(AdmissionAttributes a) {
        if (!a.resourceGroup().isEmpty() || !"pods".equals(a.resource())) {
            return true;
        }
        if (!a.subresource().isEmpty() && !"ephemeralcontainers".equals(a.subresource())) {
            return true;
        }
        return a.object() == null || !"Pod".equals(a.kind());
    }

    private static boolean isMirrorPod(JsonNode pod) {
        return pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION);
    }

    private static ObjectNode spec(ObjectNode pod) {
        return pod.get("spec") instanceof ObjectNode spec ? spec : pod.putObject("spec");
    }

    private static Throwable noAccount(AdmissionAttributes a, JsonNode pod) {
        return AdmissionErrors.forbidden(
                a,
                "no service account specified for pod " + a.namespace() + "/"
                        + pod.path("metadata").path("name").asText(""));
    }

    /** getServiceAccount, refusing with upstream's 403 when the account is missing or cannot be read. */
    private Future<ServiceAccountInfo> account(AdmissionAttributes a, String name) {
        int attempts = DEFAULT_SERVICE_ACCOUNT.equals(name) ? DEFAULT_ACCOUNT_ATTEMPTS : 1;
        Duration interval = Duration.ofMillis(100 + ThreadLocalRandom.current().nextInt(100));
        String prefix = "error looking up service account " + a.namespace() + "/" + name + ": ";
        return find(a.namespace(), name, attempts, interval).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(
                        AdmissionErrors.forbidden(a, prefix + ar.cause().getMessage()));
            }
            return ar.result()
                    .map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(
                            AdmissionErrors.forbidden(a, prefix + "serviceaccount \"" + name + "\" not found")));
        });
    }

    private Future<Optional<ServiceAccountInfo>> find(String namespace, String name, int attempts, Duration interval) {
        return accounts.find(namespace, name)
                .compose(found -> found.isPresent() || attempts <= 1
                        ? Future.succeededFuture(found)
                        : pause.after(interval).compose(v -> find(namespace, name, attempts - 1, interval)));
    }
}
