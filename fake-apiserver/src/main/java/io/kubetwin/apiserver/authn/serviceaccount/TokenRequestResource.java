package io.kubetwin.apiserver.authn.serviceaccount;

import static io.kubetwin.apiserver.registry.virtual.GoType.INT64;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRING;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRINGS;
import static io.kubetwin.apiserver.registry.virtual.GoType.TIME;
import static io.kubetwin.apiserver.registry.virtual.GoType.field;
import static io.kubetwin.apiserver.registry.virtual.GoType.optional;
import static io.kubetwin.apiserver.registry.virtual.GoValues.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionChain;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.Statuses;
import io.kubetwin.apiserver.registry.VirtualResource;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.virtual.GoType;
import io.kubetwin.apiserver.registry.virtual.GoValues;
import io.kubetwin.apiserver.registry.virtual.KubeTypes;
import io.kubetwin.apiserver.registry.virtual.VirtualCreate;
import io.kubetwin.apiserver.storage.ObjectKey;
import io.kubetwin.apiserver.storage.Storage;
import io.kubetwin.apiserver.storage.StorageException;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/namespaces/{namespace}/serviceaccounts/{name}/token} ({@code kubectl create token}), as
 * pkg/registry/core/serviceaccount/storage/token.go serves it, in upstream's order: a body name other than the
 * account's is a 422; the account must exist (404) and a body UID must be its UID (409); audiences default to
 * the API audiences; {@code spec.expirationSeconds} (defaulted to 3600) is validated (422); a bound Pod, Secret
 * or Node must exist (404), match {@code uid} if given (409) and, for a pod, run as this account (400); other
 * kinds are a 400. The {@link ServiceAccountTokenIssuer} signs the token; the answer (201) echoes the request with
 * the account's name, namespace and UID, the creation time and {@code status.token/expirationTimestamp}, and the
 * audit annotation {@code authentication.kubernetes.io/issued-credential-id} names the token's JTI.
 * Thread-safe.
 */
public final class TokenRequestResource implements VirtualResource {
    static final String GROUP = "authentication.k8s.io";
    static final String ISSUED_CREDENTIAL_ID = "authentication.kubernetes.io/issued-credential-id";
    static final String UID_MISMATCH = "authentication.k8s.io/token-request-uid-mismatch";

    static final VirtualCreate.Kind TOKEN_REQUEST = new VirtualCreate.Kind(
            GROUP,
            "v1",
            "TokenRequest",
            KubeTypes.object(
                    "v1.TokenRequest",
                    field(
                            "spec",
                            GoType.Struct.of(
                                    "v1.TokenRequestSpec",
                                    field("audiences", STRINGS),
                                    optional("expirationSeconds", new GoType.Ptr(INT64)),
                                    field(
                                            "boundObjectRef",
                                            new GoType.Ptr(GoType.Struct.of(
                                                    "v1.BoundObjectReference",
                                                    optional("kind", STRING),
                                                    optional("apiVersion", STRING),
                                                    optional("name", STRING),
                                                    optional("uid", STRING)))))),
                    optional(
                            "status",
                            GoType.Struct.of(
                                    "v1.TokenRequestStatus",
                                    field("token", STRING),
                                    field("expirationTimestamp", TIME)))),
            true,
            TokenRequestResource::setDefaults);

    private final ServiceAccountTokenIssuer issuer;
    private final Storage storage;
    private final AdmissionChain admission;
    private final Clock clock;
    private final boolean uidValidation;

    /**
     * @param admission the admission plugins that act on {@code serviceaccounts/token} creates (NodeRestriction when
     *                  enabled), run on the decoded TokenRequest before the service account is looked up, as
     *                  upstream's create handler admits before the token storage's Create
     */
    public TokenRequestResource(
            ServiceAccountTokenIssuer issuer, Storage storage, AdmissionChain admission, Clock clock) {
        this(issuer, storage, admission, true, clock);
    }

    /**
     * @param uidValidation the gate TokenRequestServiceAccountUIDValidation (on in v1.34): a body UID other than
     *     the account's is a 409; off, the request goes on with a warning and the audit annotation
     *     {@code authentication.k8s.io/token-request-uid-mismatch}, and the answer keeps the body's UID
     */
    public TokenRequestResource(
            ServiceAccountTokenIssuer issuer,
            Storage storage,
            AdmissionChain admission,
            boolean uidValidation,
            Clock clock) {
        this.uidValidation = uidValidation;
        this.issuer = issuer;
        this.storage = storage;
        this.admission = admission;
        this.clock = clock;
    }

    /** SetDefaults_TokenRequestSpec: an hour. */
    private static void setDefaults(ObjectNode request) {
        ObjectNode spec = (ObjectNode) request.get("spec");
        if (spec.get("expirationSeconds").isNull()) {
            spec.put("expirationSeconds", ServiceAccountTokenIssuer.DEFAULT_EXPIRATION_SECONDS);
        }
    }

    @Override
    public BodyKind bodyKind() {
        return new BodyKind(GROUP, "v1", "TokenRequest");
    }

    @Override
    public Future<Answer> handle(Call call) {
        Instant now = clock.instant();
        ObjectNode request = VirtualCreate.decode(call, TOKEN_REQUEST, now);
        ObjectNode meta = (ObjectNode) request.get("metadata");
        String name = call.name();
        AdmissionAttributes attributes = new AdmissionAttributes(
                Operation.CREATE,
                request,
                null,
                GROUP,
                "v1",
                "TokenRequest",
                "",
                "serviceaccounts",
                "token",
                call.namespace(),
                name,
                call.user(),
                call.dryRun(),
                call.recorder());
        return admission
                .admit(attributes)
                .compose(v -> admission.validate(attributes))
                .compose(v -> create(call, request, meta, name, now));
    }

    private Future<Answer> create(Call call, ObjectNode request, ObjectNode meta, String name, Instant now) {
        String bodyName = text(meta, "name");
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw FieldError.invalid(
                    GROUP,
                    "TokenRequest",
                    name,
                    List.of(FieldError.invalid(
                            "metadata.name", bodyName, "must match the service account name if specified")));
        }
        return lookup("serviceaccounts", call.namespace(), name).compose(found -> {
            ObjectNode account = found.orElseThrow(() -> Statuses.notFound("", "serviceaccounts", name));
            String uid = text(account.get("metadata"), "uid");
            String bodyUid = text(meta, "uid");
            String mismatch = "the UID in the token request (" + bodyUid
                    + ") does not match the UID of the service account (" + uid + ")";
            if (!bodyUid.isEmpty() && !bodyUid.equals(uid)) {
                if (uidValidation) {
                    throw Statuses.conflict(GROUP, "TokenRequest", name, mismatch);
                }
                call.state().annotate(UID_MISMATCH, mismatch);
            }
            meta.put("name", name);
            meta.put("namespace", call.namespace());
            if (bodyUid.isEmpty()) {
                meta.put("uid", uid);
            } else if (!bodyUid.equals(uid)) {
                call.request()
                        .warnings()
                        .accept(mismatch + " but TokenRequestServiceAccountUIDValidation is not enabled. In the"
                                + " future, this will return a conflict error");
            }
            meta.put("creationTimestamp", GoValues.rfc3339(now));
            ObjectNode spec = (ObjectNode) request.get("spec");
            long expiration = spec.get("expirationSeconds").asLong();
            List<Status.Cause> causes = ServiceAccountTokenIssuer.validateExpiration(expiration);
            if (!causes.isEmpty()) {
                throw Statuses.invalid(GROUP, "TokenRequest", "", causes);
            }
            ServiceAccountRef ref = new ServiceAccountRef(call.namespace(), name, uid);
            ServiceAccountTokenIssuer.TokenSpec token = ServiceAccountTokenIssuer.TokenSpec.of(ref)
                    .withAudiences(GoValues.strings(spec.get("audiences")))
                    .withExpirationSeconds(expiration);
            return bind(token, spec.get("boundObjectRef"), call.namespace(), name)
                    .map(bound -> {
                        ServiceAccountTokenIssuer.IssuedToken issued = issuer.issue(bound);
                        if (issued.expirationSeconds() < expiration) {
                            call.request()
                                    .warnings()
                                    .accept("requested expiration of " + expiration + " seconds shortened to "
                                            + issued.expirationSeconds() + " seconds");
                        }
                        ArrayNode audiences = spec.putArray("audiences");
                        issued.audiences().forEach(audiences::add);
                        spec.put("expirationSeconds", issued.expirationSeconds());
                        ObjectNode status = request.putObject("status");
                        status.put("token", issued.token());
                        status.put("expirationTimestamp", GoValues.rfc3339(issued.expirationTimestamp()));
                        call.state().annotate(ISSUED_CREDENTIAL_ID, "JTI=" + issued.jti());
                        return new Answer(201, TOKEN_REQUEST.encode(request));
                    });
        });
    }

    /** Resolves {@code spec.boundObjectRef} into the token spec's bound objects. */
    private Future<ServiceAccountTokenIssuer.TokenSpec> bind(
            ServiceAccountTokenIssuer.TokenSpec token, JsonNode ref, String namespace, String account) {
        if (ref == null || ref.isNull()) {
            return Future.succeededFuture(token);
        }
        String kind = text(ref, "kind");
        String refName = text(ref, "name");
        String refUid = text(ref, "uid");
        String apiVersion = text(ref, "apiVersion");
        // schema.FromAPIVersionAndKind: an unparsable group/version leaves both empty
        String[] gv = apiVersion.split("/", -1);
        String group = gv.length == 2 ? gv[0] : "";
        String version = gv.length == 2 ? gv[1] : gv.length == 1 ? gv[0] : "";
        if (!group.isEmpty() || !List.of("Pod", "Node", "Secret").contains(kind)) {
            throw Statuses.badRequest(
                    "cannot bind token to object of type " + group + "/" + version + ", Kind=" + kind);
        }
        String resource = kind.equals("Pod") ? "pods" : kind.equals("Node") ? "nodes" : "secrets";
        String lookupNamespace = kind.equals("Node") ? "" : namespace;
        if (refName.isEmpty()) {
            throw Statuses.badRequest("Name parameter required.");
        }
        return lookup(resource, lookupNamespace, refName).compose(found -> {
            ObjectNode object = found.orElseThrow(() -> Statuses.notFound("", resource, refName));
            String uid = text(object.get("metadata"), "uid");
            if (kind.equals("Pod") && !account.equals(text(object.get("spec"), "serviceAccountName"))) {
                throw Statuses.badRequest("cannot bind token for serviceaccount \"" + account
                        + "\" to pod running with different serviceaccount name.");
            }
            if (!refUid.isEmpty() && !refUid.equals(uid)) {
                throw Statuses.conflict(
                        "",
                        kind,
                        refName,
                        "the UID in the bound object reference (" + refUid
                                + ") does not match the UID in record. The object might have been deleted and then recreated");
            }
            BoundObject bound = new BoundObject(refName, uid);
            if (kind.equals("Secret")) {
                return Future.succeededFuture(token.withSecret(bound));
            }
            if (kind.equals("Node")) {
                return Future.succeededFuture(token.withNode(bound));
            }
            String nodeName = text(object.get("spec"), "nodeName");
            if (nodeName.isEmpty()) {
                return Future.succeededFuture(token.withPod(bound, null));
            }
            // a pod's node that does not exist is still named in the claims, without a UID
            return lookup("nodes", "", nodeName)
                    .map(node -> token.withPod(
                            bound,
                            new BoundObject(
                                    nodeName,
                                    node.map(n -> text(n.get("metadata"), "uid"))
                                            .orElse(""))));
        });
    }

    private Future<Optional<ObjectNode>> lookup(String resource, String namespace, String name) {
        return storage.get(new ObjectKey("", resource, namespace, name))
                .map(Optional::of)
                .recover(e -> {
                    if (e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    return Future.failedFuture(Statuses.internalError(String.valueOf(e.getMessage())));
                });
    }
}
