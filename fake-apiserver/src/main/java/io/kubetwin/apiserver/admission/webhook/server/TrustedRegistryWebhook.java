package io.kubetwin.apiserver.admission.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.pki.CertificateAuthority;
import io.kubetwin.pki.Credential;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A ready-to-use image-policy admission webhook: refuses pods and workloads whose images are not from a trusted
 * registry (or not pinned by digest, when so configured) with the message of the seed's Anchore validator,
 * {@code Image failed policy check: wordpress:latest}, which kube-apiserver reports as
 * {@code admission webhook "<name>" denied the request: Image failed policy check: wordpress:latest}. The reason
 * comes back as a warning. Serves {@code POST /validate} over TLS.
 *
 * <pre>
 * java -cp fake-apiserver.jar io.kubetwin.apiserver.admission.webhook.server.TrustedRegistryWebhook \
 *     --registry myregistry.io --registry docker.io/library --require-digest --port 8443
 * </pre>
 *
 * prints the ValidatingWebhookConfiguration (with its caBundle) to apply. Embedded:
 * {@code TrustedRegistryWebhook.start(vertx, policy, credential, "127.0.0.1", 0)}.
 */
@Command(
        name = "trusted-registry-webhook",
        mixinStandardHelpOptions = true,
        description = "Admission webhook refusing images outside trusted registries")
public final class TrustedRegistryWebhook implements Callable<Integer> {
    /** The resources whose pods or pod templates the webhook checks, as configuration rules. */
    public static final String RULES = """
              rules:
              - operations: ["CREATE", "UPDATE"]
                apiGroups: [""]
                apiVersions: ["v1"]
                resources: ["pods", "pods/ephemeralcontainers", "replicationcontrollers", "podtemplates"]
              - operations: ["CREATE", "UPDATE"]
                apiGroups: ["apps"]
                apiVersions: ["v1"]
                resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
              - operations: ["CREATE", "UPDATE"]
                apiGroups: ["batch"]
                apiVersions: ["v1"]
                resources: ["jobs", "cronjobs"]
            """;

    @Option(names = "--registry", required = true, description = "a trusted registry [/repository prefix]; repeatable")
    List<String> registries = new ArrayList<>();

    @Option(names = "--require-digest", description = "refuse images not pinned by digest")
    boolean requireDigest;

    @Option(names = "--bind-address", defaultValue = "127.0.0.1")
    String bindAddress;

    @Option(names = "--port", defaultValue = "8443", description = "0 picks a free port")
    int port;

    @Option(names = "--name", defaultValue = "trusted-registry.kubetwin.io", description = "the webhook's name")
    String name;

    /** The reviewer: allowed, or denied with the seed's message and the reason as a warning. */
    public static AdmissionWebhookServer.Reviewer reviewer(TrustedRegistryPolicy policy) {
        return request -> {
            JsonNode object = request.path("object");
            if (!object.isObject()) {
                return AdmissionWebhookServer.allow();
            }
            Optional<TrustedRegistryPolicy.Violation> v =
                    policy.check(request.path("kind").path("kind").asText(""), object);
            if (v.isEmpty()) {
                return AdmissionWebhookServer.allow();
            }
            ObjectNode denied = AdmissionWebhookServer.deny(
                    "Image failed policy check: " + v.get().image());
            denied.putArray("warnings")
                    .add("image " + v.get().image() + ": " + v.get().reason());
            return denied;
        };
    }

    /**
     * The same policy as an ImagePolicyWebhook backend: allowed, or denied with the seed's message for the first
     * refused image as the reason (kube-apiserver answers {@code pods "p" is forbidden: image policy webhook backend
     * denied one or more images: Image failed policy check: wordpress:latest}), and why as the audit annotation
     * {@code reason} ({@code imagepolicywebhook.image-policy.k8s.io/reason} in the audit event).
     */
    public static AdmissionWebhookServer.ImageReviewer imageReviewer(TrustedRegistryPolicy policy) {
        return spec -> {
            ObjectNode status = AdmissionWebhookServer.allow();
            for (JsonNode container : spec.path("containers")) {
                String image = container.path("image").asText("");
                Optional<String> why = policy.refuse(image);
                if (why.isPresent()) {
                    status.put("allowed", false).put("reason", "Image failed policy check: " + image);
                    status.putObject("auditAnnotations").put("reason", "image " + image + ": " + why.get());
                    break;
                }
            }
            return status;
        };
    }

    /** Serves the policy at {@code /validate}. */
    public static Future<AdmissionWebhookServer> start(
            Vertx vertx, TrustedRegistryPolicy policy, Credential serving, String host, int port) {
        return AdmissionWebhookServer.builder(serving)
                .review("/validate", reviewer(policy))
                .start(vertx, host, port);
    }

    /** The configuration that sends pods and workloads to this webhook at {@code url}. */
    public static String configuration(String name, String url, String caPem) {
        String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        return "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: "
                + name + "\nwebhooks:\n- name: " + name + "\n  clientConfig:\n    url: " + url + "\n    caBundle: "
                + bundle + "\n" + RULES
                + "  failurePolicy: Fail\n  sideEffects: None\n  admissionReviewVersions: [\"v1\"]\n";
    }

    @Override
    public Integer call() {
        CertificateAuthority ca = CertificateAuthority.generate();
        Credential serving = ca.issueServing(List.of("localhost"), List.of(bindAddress));
        Vertx vertx = Vertx.vertx();
        AdmissionWebhookServer server = start(
                        vertx, new TrustedRegistryPolicy(registries, requireDigest), serving, bindAddress, port)
                .toCompletionStage()
                .toCompletableFuture()
                .join();
        String url = "https://" + bindAddress + ":" + server.port() + "/validate";
        System.out.println("# serving " + url + "; apply this configuration:");
        System.out.print(configuration(name, url, ca.certificatePem()));
        System.out.flush();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new TrustedRegistryWebhook()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
