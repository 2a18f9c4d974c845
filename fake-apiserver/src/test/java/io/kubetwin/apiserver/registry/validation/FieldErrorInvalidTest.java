package io.kubetwin.apiserver.registry.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.api.Status;
import io.kubetwin.apiserver.api.StatusException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** errors.NewInvalid: every error is a cause, the message lists each text once (recorded from kube-apiserver v1.34.4). */
class FieldErrorInvalidTest {
    @Test
    void repeatedErrorsStayCausesButAppearOnceInTheMessage() {
        FieldError invalid = FieldError.invalid(
                "metadata.annotations[kubernetes.io/config.mirror]",
                "x",
                "must set spec.nodeName if mirror pod annotation is set");
        FieldError forbidden = FieldError.forbidden(
                "metadata.annotations[kubernetes.io/config.mirror]", "may not add mirror pod annotation");
        StatusException e = FieldError.invalid("", "Pod", "bare", List.of(invalid, forbidden, invalid));
        assertEquals(
                "Pod \"bare\" is invalid: [metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set "
                        + "spec.nodeName if mirror pod annotation is set, metadata.annotations[kubernetes.io/config.mirror]: Forbidden: "
                        + "may not add mirror pod annotation]",
                e.getMessage());
        assertEquals(
                "FieldValueInvalid, FieldValueForbidden, FieldValueInvalid",
                e.status().details().causes().stream().map(Status.Cause::reason).collect(Collectors.joining(", ")));
    }

    @Test
    void oneTextAfterRemovingRepeatsIsNotBracketed() {
        FieldError required = FieldError.required("spec.containers", "");
        StatusException e = FieldError.invalid("", "Pod", "p", List.of(required, required));
        assertEquals("Pod \"p\" is invalid: spec.containers: Required value", e.getMessage());
        assertEquals(2, e.status().details().causes().size());
    }
}
