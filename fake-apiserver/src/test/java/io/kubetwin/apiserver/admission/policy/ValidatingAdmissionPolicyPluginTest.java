package io.kubetwin.apiserver.admission.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kubetwin.apiserver.admission.AdmissionAttributes;
import io.kubetwin.apiserver.admission.AdmissionRecorder;
import io.kubetwin.apiserver.admission.Operation;
import io.kubetwin.apiserver.api.StatusException;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.storage.InMemoryStorage;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Decision;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin on attributes the fake's API cannot produce yet (pods/ephemeralcontainers updates), with the
 * reference's answer to the same update (recorded with ci/reference/run-reference.sh, the
 * validating-admission-policy suite's ephemeral-container steps).
 */
class ValidatingAdmissionPolicyPluginTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final InMemoryStorage storage = new InMemoryStorage();
    private final Vertx vertx = Vertx.vertx();
    private ValidatingAdmissionPolicyPlugin plugin;

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void trustedRegistryPolicy() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/admission/trusted-registry-policy.yaml")) {
            String[] docs = new String(in.readAllBytes()).split("(?m)^---$");
            ObjectNode policy = (ObjectNode) YAML.readTree(docs[0]);
            ObjectNode binding = (ObjectNode) YAML.readTree(docs[1]);
            storage.create(ValidatingAdmissionPolicyPlugin.POLICIES.object("", "trusted-registry"), policy);
            storage.create(ValidatingAdmissionPolicyPlugin.BINDINGS.object("", "trusted-registry"), binding);
        }
        storage.create(
                new io.kubetwin.apiserver.storage.ResourceKey("", "namespaces").object("", "apps"),
                (ObjectNode)
                        YAML.readTree(
                                "{apiVersion: v1, kind: Namespace, metadata: {name: apps, labels: {trusted-registry: enforced}}}"));
        plugin = new ValidatingAdmissionPolicyPlugin(
                vertx, storage, ResourceCatalog.withBuiltIns(), a -> new Decision.NoOpinion(""), new PolicyCel());
    }

    private static ObjectNode pod(String ephemeralImage) throws Exception {
        String eph = ephemeralImage == null
                ? ""
                : ", ephemeralContainers: [{name: dbg, image: '" + ephemeralImage + "', targetContainerName: c}]";
        return (ObjectNode) YAML.readTree("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: apps},"
                + " spec: {containers: [{name: c, image: myregistry.io/app}]" + eph + "}}");
    }

    private String update(String ephemeralImage, List<String> warnings) throws Exception {
        AdmissionRecorder recorder = new AdmissionRecorder() {
            @Override
            public void warn(String text) {
                warnings.add(text);
            }

            @Override
            public void annotate(String key, String value) {}
        };
        AdmissionAttributes a = new AdmissionAttributes(
                Operation.UPDATE,
                pod(ephemeralImage),
                pod(null),
                "",
                "v1",
                "Pod",
                "",
                "pods",
                "ephemeralcontainers",
                "apps",
                "web",
                UserInfo.of("admin", "system:masters"),
                false,
                recorder);
        var result = plugin.validate(a).toCompletionStage().toCompletableFuture();
        try {
            result.join();
            return "allowed";
        } catch (java.util.concurrent.CompletionException e) {
            StatusException s = (StatusException) e.getCause();
            return s.code() + " " + s.status().message();
        }
    }

    @Test
    void anUntrustedEphemeralContainerIsRefused() throws Exception {
        assertEquals(
                "403 pods \"web\" is forbidden: ValidatingAdmissionPolicy 'trusted-registry' with binding "
                        + "'trusted-registry' denied request: images outside the trusted registry myregistry.io: busybox",
                update("busybox", new ArrayList<>()));
    }

    @Test
    void aTrustedEphemeralContainerIsAdmitted() throws Exception {
        assertEquals("allowed", update("myregistry.io/debug:1", new ArrayList<>()));
    }
}
