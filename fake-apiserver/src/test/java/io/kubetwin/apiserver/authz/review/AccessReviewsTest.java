package io.kubetwin.apiserver.authz.review;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.virtual.GoJsonDecoder;
import io.kubetwin.auth.attributes.Attributes;
import io.kubetwin.auth.attributes.UserInfo;
import io.kubetwin.auth.authz.Authorizer;
import io.kubetwin.auth.authz.Decision;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure core of the access reviews: spec to attributes, status, selector evaluation errors, validation. */
class AccessReviewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static AccessReviewSpec spec(String json) throws Exception {
        var value = GoJsonDecoder.decode(JSON.readTree(json), AuthorizationTypes.SUBJECT_ACCESS_REVIEW_SPEC)
                .value();
        return AccessReviewSpec.from(value);
    }

    @Test
    void subjectAndResourceAttributesComeFromTheSpec() throws Exception {
        AccessReviewSpec s =
                spec("{\"user\":\"bob\",\"uid\":\"u1\",\"groups\":[\"g\"],\"extra\":{\"k\":[\"v\"],\"n\":null},"
                        + "\"resourceAttributes\":{\"namespace\":\"ns\",\"verb\":\"get\",\"group\":\"apps\",\"resource\":\"deployments\","
                        + "\"subresource\":\"scale\",\"name\":\"d\"}}");
        UserInfo user = ReviewAttributes.subject(s);
        assertEquals(new UserInfo("bob", "u1", List.of("g"), Map.of("k", List.of("v"), "n", List.of())), user);
        assertEquals(
                new Attributes(user, "get", true, "", "ns", "apps", "*", "deployments", "scale", "d"),
                ReviewAttributes.attributes(user, s));
        assertEquals(
                Attributes.nonResource(user, "get", "/api"),
                ReviewAttributes.attributes(
                        user,
                        spec("{\"user\":\"bob\",\"nonResourceAttributes\":{\"path\":\"/api\",\"verb\":\"get\"}}")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            allow          | ALLOW    | {"allowed":true,"denied":false,"reason":"because","evaluationError":""}
            deny           | DENY     | {"allowed":false,"denied":true,"reason":"because","evaluationError":""}
            no opinion     | NONE     | {"allowed":false,"denied":false,"reason":"because","evaluationError":""}
            failure        | THROW    | {"allowed":false,"denied":false,"reason":"","evaluationError":"boom"}
            """)
    void statusFromTheDecision(String name, String outcome, String expected) throws Exception {
        Authorizer authorizer = a -> switch (outcome) {
            case "ALLOW" -> Decision.allow("because");
            case "DENY" -> Decision.deny("because");
            case "NONE" -> Decision.noOpinion("because");
            default -> throw new IllegalStateException("boom");
        };
        assertEquals(
                expected,
                ReviewAttributes.review(
                                authorizer,
                                UserInfo.of("bob"),
                                spec("{\"user\":\"bob\",\"resourceAttributes\":{\"verb\":\"get\"}}"))
                        .toString());
    }

    /** Observed on kube-apiserver v1.34.4 (AuthorizeWithSelectors on; RBAC ignores selectors). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            raw selectors that parse      | {"labelSelector":{"rawSelector":"a in (b),!c"},"fieldSelector":{"rawSelector":"a==b"}}              | ''
            raw field selector bad        | {"fieldSelector":{"rawSelector":"a in (b)"}}                                                         | spec.resourceAttributes.fieldSelector ignored due to parse error
            both bad                      | {"labelSelector":{"rawSelector":"!!"},"fieldSelector":{"rawSelector":"a"}}                            | spec.resourceAttributes.fieldSelector ignored due to parse error; spec.resourceAttributes.labelSelector ignored due to parse error
            field In with one value       | {"fieldSelector":{"requirements":[{"key":"a","operator":"In","values":["b"]}]}}                      | ''
            field partly unusable         | {"fieldSelector":{"requirements":[{"key":"a","operator":"In","values":["b"]},{"key":"c","operator":"Foo"}]}} | spec.resourceAttributes.fieldSelector partially ignored due to parse error
            field In with two values      | {"fieldSelector":{"requirements":[{"key":"c","operator":"In","values":["a","b"]}]}}                  | spec.resourceAttributes.fieldSelector ignored due to parse error
            field Exists                  | {"fieldSelector":{"requirements":[{"key":"c","operator":"Exists"}]}}                                 | spec.resourceAttributes.fieldSelector ignored due to parse error
            label unknown operator        | {"labelSelector":{"requirements":[{"key":"a","operator":"Gt","values":["1"]}]}}                      | spec.resourceAttributes.labelSelector ignored due to parse error
            label partly unusable         | {"labelSelector":{"requirements":[{"key":"a","operator":"In","values":["b"]},{"key":"c","operator":"Bar"}]}} | spec.resourceAttributes.labelSelector partially ignored due to parse error
            """)
    void selectorsThatCannotBeUsedAreReported(String name, String selectors, String expected) throws Exception {
        String ra = "{\"verb\":\"list\",\"resource\":\"pods\"," + selectors.substring(1);
        assertEquals(
                expected,
                ReviewAttributes.review(
                                a -> Decision.noOpinion(""),
                                UserInfo.of("bob"),
                                spec("{\"user\":\"bob\",\"resourceAttributes\":" + ra + "}"))
                        .get("evaluationError")
                        .asText());
    }

    /** Observed on kube-apiserver v1.34.4. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            neither                | {}                                                                        | spec.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified; spec.user: Invalid value: "": at least one of user or group must be specified
            both                   | {"groups":["g"],"resourceAttributes":{},"nonResourceAttributes":{"path":"/api","verb":"get"}} | spec.nonResourceAttributes: Invalid value: {"Path":"/api","Verb":"get"}: cannot be specified in combination with resourceAttributes
            empty field selector   | {"user":"u","resourceAttributes":{"fieldSelector":{}}}                    | spec.resourceAttributes.fieldSelector.requirements: Required value: when spec.resourceAttributes.fieldSelector is specified, requirements or rawSelector is required
            field key missing      | {"user":"u","resourceAttributes":{"fieldSelector":{"requirements":[{"key":"","operator":"In","values":["x"]}]}}} | spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified
            label value            | {"user":"u","resourceAttributes":{"labelSelector":{"requirements":[{"key":"a","operator":"NotIn","values":["b c"]}]}}} | spec.resourceAttributes.labelSelector.requirements[0].values[0]: Invalid value: "b c": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            label Exists with values | {"user":"u","resourceAttributes":{"labelSelector":{"requirements":[{"key":"a","operator":"Exists","values":["x"]}]}}} | spec.resourceAttributes.labelSelector.requirements[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'
            """)
    void validatesAsUpstream(String name, String json, String expected) throws Exception {
        List<FieldError> errs = AccessReviewValidation.spec(spec(json), false);
        assertEquals(expected, errs.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    }

    @Test
    void selfReviewsNeedNoUser() throws Exception {
        assertEquals(List.of(), AccessReviewValidation.spec(spec("{\"resourceAttributes\":{\"verb\":\"get\"}}"), true));
    }
}
