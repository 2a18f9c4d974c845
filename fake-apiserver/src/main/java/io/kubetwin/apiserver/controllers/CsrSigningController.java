package io.kubetwin.apiserver.controllers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.certificates.CertificateRequest;
import io.kubetwin.apiserver.certificates.CsrObject;
import io.kubetwin.apiserver.certificates.SignerRules;
import io.kubetwin.apiserver.registry.GenericRegistry;
import io.kubetwin.apiserver.registry.ServedResource;
import io.kubetwin.apiserver.storage.ResourceKey;
import io.kubetwin.apiserver.storage.WatchEvent;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateUsage;
import io.kubetwin.pki.Pem;
import io.kubetwin.pki.PkiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * kube-controller-manager's csrsigning controllers (pkg/controller/certificates/signer/signer.go) for
 * the kubernetes.io/kube-apiserver-client, kube-apiserver-client-kubelet and kubelet-serving signers,
 * signing with the cluster CA: an approved, not failed, not yet issued CSR for one of them is checked
 * against the signer's rules; a refused one gets a {@code Failed} condition (reason
 * {@code SignerValidationFailure}), an accepted one gets {@code status.certificate}, valid for
 * {@code spec.expirationSeconds} clamped to [10m, the signing duration]. Writes the status subresource
 * as {@code system:serviceaccount:kube-system:certificate-controller}.
 */
final class CsrSigningController extends QueueController {
    static final String NAME = "certificate-controller";
    /** --cluster-signing-duration's default. */
    static final Duration DEFAULT_SIGNING_DURATION = Duration.ofHours(8760);

    private static final Duration MIN_DURATION = Duration.ofMinutes(10);
    static final ResourceKey CSRS = new ResourceKey("certificates.k8s.io", "certificatesigningrequests");

    private final CertificateAuthority ca;
    private final Duration signingDuration;
    private final Clock clock;
    private final UserInfo identity = ControllerIdentity.serviceAccount(NAME);

    CsrSigningController(
            Vertx vertx, GenericRegistry registry, CertificateAuthority ca, Duration signingDuration, Clock clock) {
        super(vertx, registry, "csrsigning");
        this.ca = ca;
        this.signingDuration = signingDuration;
        this.clock = clock;
    }

    @Override
    protected List<Source> sources() {
        return List.of(new Source(
                CSRS,
                (type, csr) -> type == WatchEvent.Type.DELETED
                        ? List.of()
                        : List.of(csr.path("metadata").path("name").asText())));
    }

    static ServedResource csrs(GenericRegistry registry) {
        return registry.catalog().lookup(CSRS.group(), "v1", CSRS.resource()).orElseThrow();
    }

    @Override
    protected Future<Void> sync(String name) {
        ServedResource served = csrs(registry);
        return registry.get(served, "", name)
                .compose(stored -> {
                    CsrObject csr = CsrObject.of(stored);
                    // certificate_controller.go skips issued requests; signer.go skips unapproved and failed ones
                    if (!csr.certificate().isEmpty()
                            || !csr.approved()
                            || csr.hasTrueCondition(CsrObject.FAILED)
                            || !SignerRules.SIGNERS.contains(csr.signerName())) {
                        return Future.<Void>succeededFuture();
                    }
                    CertificateRequest request;
                    try {
                        request = CertificateRequest.parse(csr.requestBytes());
                    } catch (CertificateRequest.InvalidRequest e) {
                        return Future.<Void>failedFuture("unable to parse csr \"" + name + "\": " + e.getMessage());
                    }
                    SignerRules.Verdict verdict = SignerRules.judge(csr.signerName(), request, csr.usages());
                    ObjectNode updated = stored.deepCopy();
                    ObjectNode status = updated.get("status") instanceof ObjectNode s ? s : updated.putObject("status");
                    if (verdict.error() != null) {
                        ArrayNode conditions =
                                status.get("conditions") instanceof ArrayNode a ? a : status.putArray("conditions");
                        conditions
                                .addObject()
                                .put("type", CsrObject.FAILED)
                                .put("status", "True")
                                .put("reason", "SignerValidationFailure")
                                .put("message", verdict.error())
                                .put(
                                        "lastUpdateTime",
                                        clock.instant()
                                                .truncatedTo(ChronoUnit.SECONDS)
                                                .toString());
                    } else {
                        Optional<String> certificate = sign(request, csr);
                        if (certificate.isEmpty()) {
                            return Future.<Void>failedFuture("error auto signing csr \"" + name + "\"");
                        }
                        status.put("certificate", certificate.get());
                    }
                    return registry.update(served, "", name, updated, "status", identity, false)
                            .<Void>mapEmpty();
                })
                .recover(e -> ControllerIdentity.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
    }

    /** The certificate as status.certificate holds it (base64 of the PEM), or empty when the CA refuses. */
    private Optional<String> sign(CertificateRequest request, CsrObject csr) {
        Set<CertificateUsage> usages = EnumSet.noneOf(CertificateUsage.class);
        for (String u : csr.usages()) {
            Optional<CertificateUsage> usage = CertificateUsage.fromKubernetesName(u);
            if (usage.isEmpty()) {
                return Optional.empty();
            }
            usages.add(usage.get());
        }
        try {
            X509Certificate cert = ca.signCsr(request.der(), usages, duration(csr.expirationSeconds()));
            return Optional.of(
                    Base64.getEncoder().encodeToString(Pem.certificatePem(cert).getBytes(StandardCharsets.US_ASCII)));
        } catch (PkiException e) {
            return Optional.empty();
        }
    }

    /** signer.duration: the requested lifetime, at most the signing duration and at least ten minutes. */
    Duration duration(Long expirationSeconds) {
        if (expirationSeconds == null) {
            return signingDuration;
        }
        Duration requested = Duration.ofSeconds(expirationSeconds);
        if (requested.compareTo(signingDuration) > 0) {
            return signingDuration;
        }
        return requested.compareTo(MIN_DURATION) < 0 ? MIN_DURATION : requested;
    }
}
