package io.kubetwin.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.api.GoJson;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Go-exact JSON writing ({@link GoJson#mapper}) of one ConfigMap and of a list of 1,000, against a plain Jackson
 * mapper for scale: what Go's string escaping costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GoJsonBenchmark {
    static final String CONFIG_MAP = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-0\","
            + "\"namespace\":\"bench\",\"uid\":\"0b0c5f3e-8f0a-4a57-9d6e-3b4d1c2a9e8f\",\"resourceVersion\":\"1234\","
            + "\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"labels\":{\"app\":\"bench\"},\"managedFields\":[{"
            + "\"manager\":\"kubectl-create\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":"
            + "\"2026-01-01T00:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\".\":{},\"f:index\":{}}}}]},"
            + "\"data\":{\"index\":\"0\",\"text\":\"<the quick brown fox> & \\u2028 jumps over the lazy dog\"}}";

    private JsonNode one;
    private JsonNode list;
    private final ObjectMapper plain = new ObjectMapper();

    @Setup
    public void setUp() throws IOException {
        one = GoJson.mapper().readTree(CONFIG_MAP);
        ObjectNode l = GoJson.mapper().createObjectNode();
        l.put("apiVersion", "v1").put("kind", "ConfigMapList");
        l.putObject("metadata").put("resourceVersion", "5000");
        ArrayNode items = l.putArray("items");
        for (int i = 0; i < 1000; i++) {
            items.add(one.deepCopy());
        }
        list = l;
    }

    @Benchmark
    public byte[] goOne() throws IOException {
        return GoJson.mapper().writeValueAsBytes(one);
    }

    @Benchmark
    public byte[] goList1000() throws IOException {
        return GoJson.mapper().writeValueAsBytes(list);
    }

    @Benchmark
    public byte[] plainList1000() throws IOException {
        return plain.writeValueAsBytes(list);
    }
}
