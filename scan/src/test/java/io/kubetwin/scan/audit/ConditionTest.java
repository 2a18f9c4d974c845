package io.kubetwin.scan.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Falco's condition syntax over one audit event: operators, precedence, lists, macros, missing fields. */
class ConditionTest {
    private static final JsonNode EVENT = json("""
            {"stage":"ResponseComplete","verb":"create","requestURI":"/api/v1/namespaces/default/pods?dryRun=All",
             "user":{"username":"alice","groups":["company","system:authenticated"]},
             "objectRef":{"resource":"pods","namespace":"default"},
             "responseStatus":{"code":201},
             "requestObject":{"spec":{"containers":[{"image":"myregistry.io/app"},{"image":"evil.io/miner",
               "securityContext":{"privileged":true}}]}}}""");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "ka.verb=create | true",
                "ka.verb = get | false",
                "ka.verb!=get | true",
                "ka.verb in (get, create) | true",
                "ka.verb in (get,list) | false",
                "ka.verb in (writes) | true",
                "ka.verb in writes | true",
                "ka.user.groups intersects (company, ops) | true",
                "ka.user.groups = system:authenticated | true",
                "ka.uri startswith /api/v1/ | true",
                "ka.uri endswith \"dryRun=All\" | true",
                "ka.uri contains \"namespaces/default\" | true",
                "ka.user.name icontains ALI | true",
                "ka.response.code=201 | true",
                "ka.req.pod.containers.image startswith evil.io/ | true",
                "ka.req.pod.containers.image regex \"(?!myregistry\\.io/).*\" | true",
                "ka.req.pod.containers.privileged=true | true",
                "ka.target.subresource=\"\" | true",
                "ka.target.subresource exists | false",
                "ka.impuser.name exists | false",
                "not ka.impuser.name exists | true",
                "ka.verb=get or ka.verb=create and ka.target.resource=pods | true",
                "(ka.verb=get or ka.verb=create) and ka.target.resource=secrets | false",
                "not ka.verb=get and not ka.verb=list | true",
                "is_create and ka.target.resource=pods | true",
                "not is_create | false",
            })
    void evaluates(String condition, boolean expected) {
        var parsed = Condition.parse(
                condition, Map.of("is_create", Condition.parse("ka.verb=create", Map.of(), Map.of())), LISTS);
        assertEquals(expected, parsed.test(EVENT), condition);
    }

    @Test
    void theFieldsReadDecideTheLevelNeeded() {
        var macro = Map.of("body", Condition.parse("ka.req.pod.host_network=true", Map.of(), Map.of()));
        var c = Condition.parse("ka.verb=create and body", macro, Map.of());
        assertEquals(List.of("ka.req.pod.host_network", "ka.verb"), List.copyOf(c.fields()));
        assertEquals(AuditLevel.Request, c.needs());
        assertEquals(
                AuditLevel.RequestResponse,
                Condition.parse("ka.resp.name=x", Map.of(), Map.of()).needs());
        assertEquals(
                AuditLevel.Metadata,
                Condition.parse("ka.verb=get", Map.of(), Map.of()).needs());
    }

    private static final Map<String, List<String>> LISTS = Map.of("writes", List.of("create", "update", "patch"));

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
