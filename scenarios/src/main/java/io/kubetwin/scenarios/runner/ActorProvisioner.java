package io.kubetwin.scenarios.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.CertificateSpec;
import io.kubetwin.pki.Credential;
import io.kubetwin.pki.Csr;
import io.kubetwin.pki.KeyType;
import io.kubetwin.pki.Kubeconfig;
import io.kubetwin.pki.Pem;
import io.kubetwin.scenarios.model.Actor;
import io.kubetwin.scenarios.model.Capability;
import io.kubetwin.scenarios.target.RunningCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns actors into kubeconfigs on one cluster, once each. Client certificates come from the client CA when the
 * target hands it out, otherwise through the CertificateSigningRequest API (signer
 * {@code kubernetes.io/kube-apiserver-client}, approved by the admin, signed by the controller manager).
 * Service-account tokens come from the TokenRequest API. Not thread-safe: one per suite run.
 */
public final class ActorProvisioner {

    /** A kubeconfig for the actor, or why the actor cannot exist on this cluster. */
    public record Access(Kubeconfig kubeconfig, String notApplicable, String error) {
        static Access ready(Kubeconfig k) {
            return new Access(k, null, null);
        }

        static Access notApplicable(String reason) {
            return new Access(null, reason, null);
        }

        static Access failed(String error) {
            return new Access(null, null, error);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The cluster name in the actors' kubeconfigs. */
    private static final String CLUSTER = "kubernetes";

    private final RunningCluster cluster;
    private final ApiClient admin;
    private final Map<String, Access> cache = new HashMap<>();
    private CertificateAuthority untrusted;

    public ActorProvisioner(RunningCluster cluster, ApiClient admin) {
        this.cluster = cluster;
        this.admin = admin;
    }

    public Access access(Actor actor) {
        return cache.computeIfAbsent(actor.name(), n -> {
            try {
                return provision(actor);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Access.failed("interrupted");
            } catch (Exception e) {
                return Access.failed("cannot provision actor " + actor.name() + ": " + e.getMessage());
            }
        });
    }

    private Access provision(Actor actor) throws Exception {
        var server = cluster.admin().server();
        var ca = cluster.admin().certificateAuthorityPem().orElse(null);
        return switch (actor.kind()) {
            case ADMIN -> Access.ready(cluster.admin());
            case ANONYMOUS -> Access.ready(Kubeconfig.anonymous(CLUSTER, server, ca));
            case TOKEN -> Access.ready(Kubeconfig.withToken(CLUSTER, server, ca, actor.name(), actor.token()));
            case CERTIFICATE -> certificate(actor, server, ca);
            case SERVICE_ACCOUNT -> serviceAccount(actor, server, ca);
        };
    }

    private Access certificate(Actor actor, String server, String caPem) throws Exception {
        var options = actor.certificate();
        var now = Instant.now();
        var notBefore =
                switch (options.validity()) {
                    case valid -> now.minus(Duration.ofHours(1));
                    case expired -> now.minus(Duration.ofDays(2));
                    case notYetValid -> now.plus(Duration.ofDays(1));
                };
        var notAfter =
                switch (options.validity()) {
                    case valid -> now.plus(Duration.ofDays(1));
                    case expired -> now.minus(Duration.ofDays(1));
                    case notYetValid -> now.plus(Duration.ofDays(2));
                };
        CertificateAuthority issuer;
        if (options.issuer() == Actor.CertificateOptions.Issuer.untrusted) {
            if (untrusted == null) {
                untrusted = CertificateAuthority.generate("untrusted-ca", KeyType.EC_P256, Duration.ofDays(365));
            }
            issuer = untrusted;
        } else if (cluster.clientCa().isPresent() && options.via() == Actor.CertificateOptions.Via.ca) {
            issuer = cluster.clientCa().get();
        } else {
            var standard = options.validity() == Actor.CertificateOptions.Validity.valid
                    && options.clientAuth()
                    && options.uid() == null;
            if (!standard) {
                return Access.notApplicable("a " + options.validity() + " certificate"
                        + (options.clientAuth() ? "" : " without clientAuth") + " needs the client CA's key, which "
                        + cluster.target() + " does not hand out");
            }
            if (!cluster.capabilities().contains(Capability.CONTROLLER_MANAGER)) {
                return Access.notApplicable(cluster.target() + " has neither the client CA key nor a CSR signer");
            }
            var credential = viaCsr(actor);
            return Access.ready(Kubeconfig.withClientCertificate(CLUSTER, server, caPem, actor.name(), credential));
        }
        // Without clientAuth, a serverAuth-only certificate (what a serving certificate misused as a client one is).
        var credential = issuer.issue(CertificateSpec.client(actor.user())
                .organizations(actor.groups())
                .uid(options.uid() == null ? "" : options.uid())
                .notBefore(notBefore)
                .notAfter(notAfter)
                .client(options.clientAuth())
                .server(!options.clientAuth())
                .keyType(KeyType.EC_P256)
                .build());
        return Access.ready(Kubeconfig.withClientCertificate(CLUSTER, server, caPem, actor.name(), credential));
    }

    /** The CSR flow of the seed article, done through the API instead of with the CA key. */
    private Credential viaCsr(Actor actor) throws Exception {
        var keys = KeyType.EC_P256.generate();
        var request = Csr.create(keys, actor.user(), actor.groups(), List.of(), List.of());
        var name = "kubetwin-" + actor.name().toLowerCase() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        var csr = JSON.createObjectNode();
        csr.put("apiVersion", "certificates.k8s.io/v1");
        csr.put("kind", "CertificateSigningRequest");
        csr.putObject("metadata").put("name", name);
        var spec = csr.putObject("spec");
        spec.put("request", Base64.getEncoder().encodeToString(request.pem().getBytes(StandardCharsets.UTF_8)));
        spec.put("signerName", "kubernetes.io/kube-apiserver-client");
        spec.put("expirationSeconds", 86400);
        spec.putArray("usages").add("client auth");
        var path = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
        var created = admin.post(path, csr.toString());
        if (created.code() != 201) {
            throw new IllegalStateException("CSR create answered " + created.code() + ": " + created.body());
        }
        var current = (ObjectNode) created.json();
        var condition = JSON.createObjectNode();
        condition.put("type", "Approved");
        condition.put("status", "True");
        condition.put("reason", "KubetwinApproved");
        condition.put("message", "approved by the kubetwin scenario runner");
        current.putObject("status").putArray("conditions").add(condition);
        var approved = admin.put(path + "/" + name + "/approval", current.toString());
        if (approved.code() != 200) {
            throw new IllegalStateException("CSR approval answered " + approved.code() + ": " + approved.body());
        }
        var deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            var got = admin.get(path + "/" + name);
            var cert = got.optionalJson()
                    .map(j -> j.path("status").path("certificate").asText(""))
                    .orElse("");
            if (!cert.isEmpty()) {
                return new Credential(
                        Pem.parseCertificate(new String(Base64.getDecoder().decode(cert), StandardCharsets.UTF_8)),
                        keys.getPrivate());
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("CSR " + name + " was approved but not signed within 60 s");
    }

    private Access serviceAccount(Actor actor, String server, String caPem) throws Exception {
        var ns = actor.namespace();
        var namespace = JSON.createObjectNode();
        namespace
                .put("apiVersion", "v1")
                .put("kind", "Namespace")
                .putObject("metadata")
                .put("name", ns);
        var nsResult = admin.post("/api/v1/namespaces", namespace.toString());
        if (nsResult.code() != 201 && nsResult.code() != 409) {
            throw new IllegalStateException("namespace " + ns + ": " + nsResult.code() + " " + nsResult.body());
        }
        if (actor.createServiceAccount()) {
            var sa = JSON.createObjectNode();
            sa.put("apiVersion", "v1")
                    .put("kind", "ServiceAccount")
                    .putObject("metadata")
                    .put("name", actor.user());
            var created = admin.post("/api/v1/namespaces/" + ns + "/serviceaccounts", sa.toString());
            if (created.code() != 201 && created.code() != 409) {
                throw new IllegalStateException("service account: " + created.code() + " " + created.body());
            }
        }
        var request = JSON.createObjectNode();
        request.put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenRequest");
        request.putObject("spec").put("expirationSeconds", 3600);
        var response = admin.post(
                "/api/v1/namespaces/" + ns + "/serviceaccounts/" + actor.user() + "/token", request.toString());
        if (response.code() != 201) {
            throw new IllegalStateException("TokenRequest answered " + response.code() + ": " + response.body());
        }
        var token = response.json().path("status").path("token").asText();
        return Access.ready(Kubeconfig.withToken(CLUSTER, server, caPem, actor.name(), token));
    }

    /** Certificates of all provisioned actors (for tests). */
    List<String> provisioned() {
        return List.copyOf(cache.keySet());
    }
}
