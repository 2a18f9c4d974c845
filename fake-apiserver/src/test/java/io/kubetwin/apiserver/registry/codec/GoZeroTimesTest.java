package io.kubetwin.apiserver.registry.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zero times as kube-apiserver v1.34.4 writes them: every expected object recorded from the reference (the same
 * body sent with kubectl, then read back), the API case over TLS.
 */
class GoZeroTimesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestApiServer cluster = TestApiServer.builder().build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                // a pod condition without times, and one with the zero time: both null, in Go's field order
                "{'apiVersion':'v1','kind':'Pod','status':{'conditions':[{'type':'Ready','status':'True'},"
                        + "{'lastProbeTime':'0001-01-01T00:00:00Z','type':'X','status':'False'}]}}"
                        + " | {'apiVersion':'v1','kind':'Pod','status':{'conditions':[{'type':'Ready','status':'True',"
                        + "'lastProbeTime':null,'lastTransitionTime':null},{'type':'X','status':'False',"
                        + "'lastProbeTime':null,'lastTransitionTime':null}]}}",
                // container states' times; PodStatus.startTime is a pointer: left out
                "{'apiVersion':'v1','kind':'Pod','status':{'containerStatuses':[{'name':'c','state':{'running':{}},"
                        + "'lastState':{'terminated':{'exitCode':1}}}]}}"
                        + " | {'apiVersion':'v1','kind':'Pod','status':{'containerStatuses':[{'name':'c','state':"
                        + "{'running':{'startedAt':null}},'lastState':{'terminated':{'exitCode':1,"
                        + "'startedAt':null,'finishedAt':null}}}]}}",
                // creationTimestamp is omitzero in v0.34: a null or zero one goes, in templates too
                "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d','creationTimestamp':null},"
                        + "'spec':{'template':{'metadata':{'creationTimestamp':'0001-01-01T00:00:00Z'}}}}"
                        + " | {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},"
                        + "'spec':{'template':{'metadata':{}}}}",
                // a set time stays; deletionTimestamp (a pointer) stays out
                "{'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'status':{'conditions':[{'type':'Ready',"
                        + "'status':'False','lastTransitionTime':'2026-01-01T00:00:00Z'}]}}"
                        + " | {'apiVersion':'v1','kind':'Node','metadata':{'name':'n'},'status':{'conditions':"
                        + "[{'type':'Ready','status':'False','lastHeartbeatTime':null,"
                        + "'lastTransitionTime':'2026-01-01T00:00:00Z'}]}}",
                // core/v1 Event: three times at the top level, EventSeries' when the series is there
                "{'apiVersion':'v1','kind':'Event','reason':'R','series':{'count':2}}"
                        + " | {'kind':'Event','apiVersion':'v1','reason':'R','firstTimestamp':null,"
                        + "'lastTimestamp':null,'eventTime':null,'series':{'count':2,'lastObservedTime':null}}",
                "{'apiVersion':'batch/v1','kind':'Job','status':{'conditions':[{'type':'Suspended','status':'True'}],"
                        + "'startTime':null}}"
                        + " | {'apiVersion':'batch/v1','kind':'Job','status':{'conditions':[{'type':'Suspended',"
                        + "'status':'True','lastProbeTime':null,'lastTransitionTime':null}],'startTime':null}}",
                // a kind without recorded types is left alone
                "{'apiVersion':'example.com/v1','kind':'Widget','status':{'conditions':[{'type':'A'}]}}"
                        + " | {'apiVersion':'example.com/v1','kind':'Widget','status':{'conditions':[{'type':'A'}]}}"
            })
    void zeroTimesAreWrittenAsGoWritesThem(String in, String out) throws Exception {
        ObjectNode object = (ObjectNode) JSON.readTree(in.strip().replace('\'', '"'));
        GoZeroTimes.apply(object);
        assertEquals(out.strip().replace('\'', '"'), JSON.writeValueAsString(object));
    }

    @ParameterizedTest
    @CsvSource({
        "0001-01-01T00:00:00Z, true",
        "0001-01-01T01:00:00+01:00, true",
        "0001-01-01T00:00:00.000000Z, true",
        "0001-01-01T00:00:01Z, false",
        "2026-01-01T00:00:00Z, false"
    })
    void theZeroInstantWhateverItsOffset(String time, boolean zero) {
        assertEquals(zero, GoZeroTimes.isZero(time));
    }

    @Test
    void aPodConditionPatchedWithoutTimesReadsBackWithNulls() throws Exception {
        ApiClient admin = cluster.admin();
        ApiClient.Response created = admin.send(
                "POST",
                "/api/v1/namespaces/default/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"zt\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}",
                "application/json");
        assertEquals(201, created.code(), created.body());
        ApiClient.Response patched = admin.send(
                "PATCH",
                "/api/v1/namespaces/default/pods/zt/status",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}",
                "application/merge-patch+json");
        assertEquals(200, patched.code(), patched.body());
        ApiClient.Response read = admin.send("GET", "/api/v1/namespaces/default/pods/zt", null, null);
        assertEquals(
                "[{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":null}]",
                JSON.readTree(read.body()).path("status").path("conditions").toString());
        // the field manager saw them too, as the reference's does
        JsonNode managed = JSON.readTree(read.body()).at("/metadata/managedFields/1");
        assertEquals("status", managed.path("subresource").asText());
        assertEquals(
                "{\"f:status\":{\"f:conditions\":{\".\":{},\"k:{\\\"type\\\":\\\"Ready\\\"}\":{\".\":{},"
                        + "\"f:lastProbeTime\":{},\"f:lastTransitionTime\":{},\"f:status\":{},\"f:type\":{}}}}}",
                managed.path("fieldsV1").toString());
    }
}
