package io.kubetwin.apiserver.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pure parts of the Job controller against upstream's tables (indexed_job_utils_test.go,
 * pod_failure_policy_test.go, success_policy_test.go): index intervals, the pod failure policy's outcome and
 * message, and the success policy's rule.
 */
class JobPoliciesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|5|''|''|0",
                "0|5|''|0|1",
                "0,1|5|''|0,1|2",
                "0-2|5|''|0-2|3",
                "0,2|5|1|0-2|3",
                "1,3-4|5|0,5,6|0,1,3,4|4",
                "3-9|5|''|3,4|2",
                "7|5|0|0|1",
                "x,1|5|''|1|1",
            })
    void indexesParseMergeAndPrint(String text, int completions, String added, String expected, int total) {
        JobIndexes ix = JobIndexes.parse(text, completions);
        java.util.List<Integer> add = new java.util.ArrayList<>();
        for (String a : added.isEmpty() ? new String[0] : added.split(",")) {
            if (Integer.parseInt(a) < completions) {
                add.add(Integer.parseInt(a));
            }
        }
        JobIndexes merged = ix.with(add);
        assertEquals(expected, merged.toString());
        assertEquals(total, merged.total());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                // rules | succeeded indexes | completions | message or NONE
                "[{'succeededCount':1}]|0|3|Matched rules at index 0",
                "[{'succeededIndexes':'2'},{'succeededCount':1}]|0|3|Matched rules at index 1",
                "[{'succeededIndexes':'0-2'}]|0,1|3|NONE",
                "[{'succeededIndexes':'0-2'}]|0-2|3|Matched rules at index 0",
                "[{'succeededIndexes':'0-2','succeededCount':2}]|0,2|3|Matched rules at index 0",
                "[{'succeededIndexes':'0-2','succeededCount':2}]|1|3|NONE",
                "[{'succeededCount':2}]|\"\"|3|NONE",
            })
    void successPolicyRules(String rules, String succeeded, int completions, String expected) throws Exception {
        String message = JobIndexes.parse(succeeded, completions)
                .matchSuccessPolicy(json("{'rules':" + rules + "}"), completions);
        assertEquals(expected, message == null ? "NONE" : message);
    }

    private static final String POD = "{'metadata':{'namespace':'ns','name':'p-1'},'status':{'phase':'Failed',"
            + "'conditions':[{'type':'DisruptionTarget','status':'True'}],"
            + "'initContainerStatuses':[{'name':'init','state':{'terminated':{'exitCode':5}}}],"
            + "'containerStatuses':[{'name':'ok','state':{'terminated':{'exitCode':0}}},"
            + "{'name':'c','state':{'terminated':{'exitCode':42}}},{'name':'run','state':{'running':{}}}]}}";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'action':'FailJob','onExitCodes':{'operator':'In','values':[42]}}|FailJob true "
                        + "Container c for pod ns/p-1 failed with exit code 42 matching FailJob rule at index 1",
                "{'action':'FailJob','onExitCodes':{'operator':'NotIn','values':[42]}}|FailJob true "
                        + "Container init for pod ns/p-1 failed with exit code 5 matching FailJob rule at index 1",
                "{'action':'FailJob','onExitCodes':{'containerName':'x','operator':'In','values':[42]}}|null true null",
                "{'action':'FailJob','onExitCodes':{'operator':'In','values':[0]}}|null true null",
                "{'action':'FailJob','onPodConditions':[{'type':'DisruptionTarget','status':'True'}]}|FailJob true "
                        + "Pod ns/p-1 has condition DisruptionTarget matching FailJob rule at index 1",
                "{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget','status':'True'}]}|Ignore false null",
                "{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget','status':'False'}]}|null true null",
                "{'action':'Count','onExitCodes':{'operator':'In','values':[5]}}|Count true null",
                "{'action':'FailIndex','onExitCodes':{'operator':'In','values':[42]}}|FailIndex true null",
            })
    void podFailurePolicyRules(String rule, String expected) throws Exception {
        // a first rule that never matches, so the matching rule is at index 1
        JsonNode policy =
                json("{'rules':[{'action':'FailJob','onExitCodes':{'operator':'In','values':[99]}}," + rule + "]}");
        PodFailurePolicy.Match m = PodFailurePolicy.match(policy, json(POD));
        assertEquals(expected, m.action() + " " + m.countFailed() + " " + m.failJobMessage());
    }
}
