package io.kubetwin.apiserver.admission.podsecurity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.registry.validation.FieldError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Namespace labels over the configured defaults, as api/helpers.go PolicyToEvaluate reads them. */
class NamespacePolicyTest {

    private static Map<String, String> labels(String spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.trim().split("=", 2);
                labels.put(NamespacePolicy.PREFIX + p[0], p[1]);
            }
        }
        return labels;
    }

    @ParameterizedTest(name = "{index}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                        | enforce=privileged:latest audit=privileged:latest warn=privileged:latest |
            enforce=baseline                          | enforce=baseline:latest audit=privileged:latest warn=baseline:latest |
            enforce=restricted, enforce-version=v1.22 | enforce=restricted:v1.22 audit=privileged:latest warn=restricted:v1.22 |
            enforce=restricted, warn-version=v1.25    | enforce=restricted:latest audit=privileged:latest warn=restricted:v1.25 |
            enforce=restricted, warn=baseline         | enforce=restricted:latest audit=privileged:latest warn=baseline:latest |
            enforce-version=v1.22                     | enforce=privileged:v1.22 audit=privileged:latest warn=privileged:latest |
            enforce=foo                               | enforce=restricted:latest audit=privileged:latest warn=privileged:latest | metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted
            audit=foo, warn=bar, warn-version=x       | enforce=privileged:latest audit=privileged:latest warn=privileged:latest | metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: "foo": must be one of privileged, baseline, restricted; metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: "bar": must be one of privileged, baseline, restricted; metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "x": must be "latest" or "v1.x"
            """)
    void labelsOverPrivilegedDefaults(String labels, String expected, String errors) {
        NamespacePolicy.Evaluated e = NamespacePolicy.fromLabels(labels(labels), NamespacePolicy.PRIVILEGED);
        NamespacePolicy p = e.policy();
        assertEquals(expected, "enforce=" + p.enforce() + " audit=" + p.audit() + " warn=" + p.warn());
        assertEquals(
                errors == null ? "" : errors,
                String.join("; ", e.errors().stream().map(FieldError::toString).toList()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''               | enforce=privileged:latest audit=privileged:latest warn=baseline:latest
            enforce=baseline | enforce=baseline:latest audit=privileged:latest warn=baseline:latest
            enforce=restricted, enforce-version=v1.30 | enforce=restricted:v1.30 audit=privileged:latest warn=restricted:v1.30
            warn=privileged  | enforce=privileged:latest audit=privileged:latest warn=privileged:latest
            """)
    void labelsOverConfiguredDefaults(String labels, String expected) {
        NamespacePolicy defaults = new NamespacePolicy(
                LevelVersion.PRIVILEGED_LATEST,
                LevelVersion.PRIVILEGED_LATEST,
                new LevelVersion(Level.BASELINE, PolicyVersion.LATEST));
        NamespacePolicy p = NamespacePolicy.fromLabels(labels(labels), defaults).policy();
        assertEquals(expected, "enforce=" + p.enforce() + " audit=" + p.audit() + " warn=" + p.warn());
    }
}
