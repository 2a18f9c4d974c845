package io.kubetwin.apiserver.registry.kinds;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.ResourceStrategy;
import io.kubetwin.apiserver.registry.table.Printers;
import io.kubetwin.apiserver.registry.table.TableConvertor;

/**
 * CertificateSigningRequests (pkg/registry/certificates/certificates/strategy.go): status is cleared on
 * create and kept on spec updates. The requester identity (spec.username, groups, uid, extra) is
 * stamped by the registry from the request's user, as upstream's PrepareForCreate does.
 */
public final class CsrStrategy implements ResourceStrategy {
    @Override
    public void prepareForCreate(ObjectNode csr) {
        csr.remove("status");
    }

    @Override
    public void prepareForCreate(ObjectNode csr, io.kubetwin.apiserver.authn.UserInfo user) {
        prepareForCreate(csr);
        ObjectNode spec = csr.has("spec") && csr.get("spec").isObject() ? (ObjectNode) csr.get("spec") : csr.putObject("spec");
        spec.remove(java.util.List.of("username", "uid", "groups", "extra"));
        spec.put("username", user.name());
        if (!user.uid().isEmpty()) {
            spec.put("uid", user.uid());
        }
        var groups = spec.putArray("groups");
        user.groups().forEach(groups::add);
        if (!user.extra().isEmpty()) {
            ObjectNode extra = spec.putObject("extra");
            new java.util.TreeMap<>(user.extra()).forEach((k, v) -> {
                var values = extra.putArray(k);
                v.forEach(values::add);
            });
        }
    }

    @Override
    public void prepareForUpdate(ObjectNode csr, ObjectNode old) {
        if (old.has("status")) {
            csr.set("status", old.get("status").deepCopy());
        } else {
            csr.remove("status");
        }
        if (old.has("spec")) {
            csr.set("spec", old.get("spec").deepCopy());
        }
    }

    @Override
    public java.util.Map<String, java.util.List<String>> nestedFieldOrder() {
        return java.util.Map.of("spec", java.util.List.of("request", "signerName", "expirationSeconds", "usages", "username", "uid",
                "groups", "extra"), "status", java.util.List.of("conditions", "certificate"));
    }

    @Override
    public java.util.Map<String, java.util.function.Function<ObjectNode, String>> selectableFields() {
        return java.util.Map.of("spec.signerName", o -> o.path("spec").path("signerName").asText(""));
    }

    @Override
    public java.util.List<String> fieldLabels() {
        return java.util.List.of("metadata.name", "spec.signerName");
    }

    @Override
    public TableConvertor table() {
        return Printers.CSRS;
    }
}
