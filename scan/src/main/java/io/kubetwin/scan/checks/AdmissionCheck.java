package io.kubetwin.scan.checks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.scan.model.Rule;
import io.kubetwin.scan.model.Severity;
import io.kubetwin.scan.probe.Answer;
import java.util.List;
import java.util.Optional;

/**
 * What admission lets through, measured by asking: in a scratch namespace created for the purpose (no labels, so the
 * cluster's defaults apply), dry-run creates of a pod with an image from an untrusted registry, of pods with the
 * registry-bypass image strings that fool prefix matching, and of a privileged pod. Dry-run pods are never stored;
 * the namespace is deleted at the end. The image pods satisfy the restricted Pod Security level, so a refusal of
 * them is an image policy's, not PodSecurity's.
 */
public final class AdmissionCheck implements Check {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SEED =
            "second seed article, Kubernetes trusted image collections: banning non trusted registry";

    static final String UNTRUSTED = "evil.example.com/kubetwin-scan/untrusted:latest";
    /** Strings a naive "starts with myregistry.io" policy admits although they name another registry (issue 11). */
    static final List<String> BYPASSES =
            List.of("myregistry.io.malicious.com/app", "myregistry.io@evil/app", "myregistry.io:443.evil.com/app");

    static final Rule UNTRUSTED_IMAGE = new Rule(
            "KT-ADM-UNTRUSTED-IMAGE",
            "A pod with an image from an untrusted registry is admitted",
            Severity.HIGH,
            "CIS 5.5.1 (image provenance, ImagePolicyWebhook); " + SEED,
            "Refuse images outside the trusted registries with a validating admission webhook or policy.");
    static final Rule REGISTRY_BYPASS = new Rule(
            "KT-ADM-REGISTRY-BYPASS",
            "An image string that only looks like the trusted registry is admitted",
            Severity.HIGH,
            "CIS 5.5.1; " + SEED,
            "The image policy matches a registry prefix without parsing the reference: match the host exactly.");
    static final Rule PRIVILEGED_POD = new Rule(
            "KT-ADM-PRIVILEGED",
            "A privileged pod is admitted in a new namespace",
            Severity.HIGH,
            "CIS 5.2.2 (minimize the admission of privileged containers); CIS 5.2.1",
            "Enforce the baseline Pod Security level by default (PodSecurity admission configuration) or per namespace.");

    @Override
    public String name() {
        return "admission";
    }

    @Override
    public String description() {
        return "Whether dry-run pods with untrusted or look-alike images, and a privileged pod, are admitted";
    }

    @Override
    public List<Rule> rules() {
        return List.of(UNTRUSTED_IMAGE, REGISTRY_BYPASS, PRIVILEGED_POD);
    }

    @Override
    public Optional<String> skipReason(ScanContext context) {
        return context.options().allowWrites() ? Optional.empty() : Optional.of("writes not allowed (--allow-writes)");
    }

    @Override
    public void run(ScanContext context, Findings out) {
        var user = context.user();
        String ns = "kubetwin-scan-" + context.auditIds().prefix().replaceAll(".*-scan-|-$", "");
        var created = user.post(
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        if (created.code() != 201) {
            out.note("scratch namespace not created: " + created.exchange().summary() + " "
                    + created.exchange().responseBody());
            return;
        }
        try {
            if (!defaultServiceAccount(context, ns, out)) {
                return;
            }
            var untrusted = dryRun(context, ns, "untrusted", restrictedPod(UNTRUSTED), out);
            if (untrusted.ok()) {
                out.add(UNTRUSTED_IMAGE.finding(
                        UNTRUSTED,
                        "A dry-run pod with image " + UNTRUSTED + " was admitted (" + untrusted.code() + ").",
                        List.of(untrusted.exchange())));
            } else if (refused(untrusted)) {
                int i = 0;
                for (var image : BYPASSES) {
                    var bypass = dryRun(context, ns, "bypass-" + ++i, restrictedPod(image), out);
                    if (bypass.ok()) {
                        out.add(REGISTRY_BYPASS.finding(
                                image,
                                "The untrusted image was refused ("
                                        + untrusted.exchange().responseBody().strip() + ") but " + image
                                        + " was admitted.",
                                List.of(untrusted.exchange(), bypass.exchange())));
                    }
                }
            }
            var privileged = dryRun(context, ns, "privileged", privilegedPod(), out);
            if (privileged.ok()) {
                out.add(PRIVILEGED_POD.finding(
                        "privileged pod",
                        "A dry-run pod with securityContext.privileged=true was admitted in the new namespace " + ns
                                + ".",
                        List.of(privileged.exchange())));
            }
        } finally {
            var deleted = user.delete("/api/v1/namespaces/" + ns);
            if (!deleted.ok()) {
                out.note("scratch namespace " + ns + " not deleted: "
                        + deleted.exchange().summary());
            }
        }
    }

    /**
     * The ServiceAccount admission plugin refuses a pod whose ServiceAccount does not exist; the controller manager
     * makes {@code default} shortly after the namespace, and where none runs the scan makes it.
     */
    private static boolean defaultServiceAccount(ScanContext context, String ns, Findings out) {
        String path = "/api/v1/namespaces/" + ns + "/serviceaccounts";
        for (int i = 0; i < 20; i++) {
            if (context.user().get(path + "/default").ok()) {
                return true;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        var made = context.user()
                .post(path, "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}");
        if (made.code() == 201 || made.code() == 409) {
            return true;
        }
        out.note("no default ServiceAccount in " + ns + ": " + made.exchange().summary());
        return false;
    }

    private static Answer dryRun(ScanContext context, String ns, String name, ObjectNode pod, Findings out) {
        pod.putObject("metadata").put("name", "kubetwin-scan-" + name);
        var a = context.user().post("/api/v1/namespaces/" + ns + "/pods?dryRun=All", pod.toString());
        if (refused(a)) {
            out.note("dry-run pod " + name + " refused: " + a.code() + " "
                    + a.response().statusMessage().orElse(a.exchange().responseBody()));
        } else if (!a.ok()) {
            out.note("dry-run pod " + name + " neither admitted nor refused by admission: "
                    + a.exchange().summary() + " " + a.exchange().responseBody());
        }
        return a;
    }

    /** A refusal by admission: Forbidden (webhooks, PodSecurity, plugins) or Invalid from a validating policy. */
    private static boolean refused(Answer a) {
        return a.code() == 403 || a.code() == 400 || a.code() == 422;
    }

    private static ObjectNode restrictedPod(String image) {
        var pod = base();
        var spec = pod.putObject("spec");
        spec.put("automountServiceAccountToken", false);
        var psc = spec.putObject("securityContext");
        psc.put("runAsNonRoot", true);
        psc.put("runAsUser", 65534);
        psc.putObject("seccompProfile").put("type", "RuntimeDefault");
        var c = spec.putArray("containers").addObject();
        c.put("name", "app");
        c.put("image", image);
        var sc = c.putObject("securityContext");
        sc.put("allowPrivilegeEscalation", false);
        sc.putObject("capabilities").putArray("drop").add("ALL");
        return pod;
    }

    private static ObjectNode privilegedPod() {
        var pod = base();
        var spec = pod.putObject("spec");
        spec.put("automountServiceAccountToken", false);
        var c = spec.putArray("containers").addObject();
        c.put("name", "app");
        c.put("image", "registry.k8s.io/pause:3.10");
        c.putObject("securityContext").put("privileged", true);
        return pod;
    }

    private static ObjectNode base() {
        var pod = JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        return pod;
    }
}
