package io.kubetwin.scenarios.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizerTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "X509SHA256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|X509SHA256=<fingerprint>",
                "JTI=7ee52be0-1234-4abc-9def-0123456789ab|JTI=<jti>",
                "Get \"https://127.0.0.1:39800/api?timeout=32s\"|Get \"https://127.0.0.1:<port>/api?timeout=32s\"",
                "verifying certificate SN=1234567, SKID=AB:CD, AKID=01:02 failed|verifying certificate SN=<serial>, SKID=<key-id>, AKID=<key-id> failed",
                "E1122 16:34:18.434433    6372 memcache.go:265] x|E<klog> memcache.go:265] x",
                "kubetwin-mynewuser-1a2b3c4d|kubetwin-mynewuser-<random>",
                "pods is forbidden: User \"x\" cannot list|pods is forbidden: User \"x\" cannot list",
                "Invalid value: \"{\\\"resourceVersion\\\":\\\"253\\\"}\"|Invalid value: \"{\\\"resourceVersion\\\":\\\"<resourceVersion>\\\"}\"",
            })
    void text(String raw, String normalised) {
        assertEquals(normalised, Normalizer.text(raw));
    }

    @Test
    void yamlText() {
        // a ConfigMap list as kube-apiserver writes it for Accept: application/yaml
        String yaml =
                "apiVersion: v1\nitems:\n- data:\n    ca.crt: |\n      -----BEGIN CERTIFICATE-----\n      MIIBazCC\n"
                        + "      -----END CERTIFICATE-----\n  metadata:\n    resourceVersion: \"234\"\nkind: ConfigMapList\n"
                        + "metadata:\n  resourceVersion: \"253\"\n";
        assertEquals(
                "apiVersion: v1\nitems:\n- data:\n    ca.crt: |\n      <certificate>\n  metadata:\n"
                        + "    resourceVersion: \"<resourceVersion>\"\nkind: ConfigMapList\nmetadata:\n"
                        + "  resourceVersion: \"<resourceVersion>\"\n",
                Normalizer.text(yaml));
    }

    @Test
    void auditEvent() throws Exception {
        var mapper = new ObjectMapper();
        var event = mapper.readTree("""
                {"kind":"Event","level":"Metadata","auditID":"a2c1c7d4-6c25-4c6c-a9e3-1b5c0e1f2a3b","stage":"ResponseComplete",
                 "user":{"username":"alice","uid":"1001","groups":["g"]},"sourceIPs":["127.0.0.1"],
                 "objectRef":{"resource":"configmaps","name":"cm1","uid":"a2c1c7d4-6c25-4c6c-a9e3-1b5c0e1f2a3b","resourceVersion":"123"},
                 "requestReceivedTimestamp":"2026-11-22T16:30:07.945523Z","stageTimestamp":"2026-11-22T16:30:07.955523Z",
                 "annotations":{"authorization.k8s.io/decision":"allow","apiserver.latency.k8s.io/total":"512ms"}}""");
        assertEquals(mapper.readTree("""
                {"kind":"Event","level":"Metadata","auditID":"<auditID>","stage":"ResponseComplete",
                 "user":{"username":"alice","uid":"1001","groups":["g"]},"sourceIPs":"<sourceIPs>",
                 "objectRef":{"resource":"configmaps","name":"cm1","uid":"<uuid>","resourceVersion":"<resourceVersion>"},
                 "requestReceivedTimestamp":"<requestReceivedTimestamp>","stageTimestamp":"<stageTimestamp>",
                 "annotations":{"authorization.k8s.io/decision":"allow"}}"""), Normalizer.json(event));
    }

    @Test
    void generatedNames() throws Exception {
        var mapper = new ObjectMapper();
        assertEquals(
                mapper.readTree("{\"metadata\":{\"generateName\":\"csr-\",\"name\":\"csr-<generated>\"}}"),
                Normalizer.json(mapper.readTree("{\"metadata\":{\"generateName\":\"csr-\",\"name\":\"csr-x7k2p\"}}")));
    }

    @Test
    void managedFieldsInManagerOrderAndConflictCausesSorted() throws Exception {
        var mapper = new ObjectMapper();
        assertEquals(
                mapper.readTree("{\"managedFields\":[{\"manager\":\"a\",\"operation\":\"Apply\",\"time\":\"<time>\"},"
                        + "{\"manager\":\"b\",\"operation\":\"Apply\",\"time\":\"<time>\"},"
                        + "{\"manager\":\"a\",\"operation\":\"Update\",\"time\":\"<time>\"}],"
                        + "\"causes\":[{\"reason\":\"FieldManagerConflict\",\"field\":\".a\"},"
                        + "{\"reason\":\"FieldManagerConflict\",\"field\":\".b\"}]}"),
                Normalizer.json(mapper.readTree("{\"managedFields\":["
                        + "{\"manager\":\"b\",\"operation\":\"Apply\",\"time\":\"2026-01-01T00:00:01Z\"},"
                        + "{\"manager\":\"a\",\"operation\":\"Apply\",\"time\":\"2026-01-01T00:00:02Z\"},"
                        + "{\"manager\":\"a\",\"operation\":\"Update\",\"time\":\"2026-01-01T00:00:00Z\"}],"
                        + "\"causes\":[{\"reason\":\"FieldManagerConflict\",\"field\":\".b\"},"
                        + "{\"reason\":\"FieldManagerConflict\",\"field\":\".a\"}]}")));
    }
}
