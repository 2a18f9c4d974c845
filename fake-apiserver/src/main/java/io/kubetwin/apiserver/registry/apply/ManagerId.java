package io.kubetwin.apiserver.registry.apply;

import io.kubetwin.apiserver.api.GoJson;
import io.kubetwin.pki.GoText;

/**
 * Who owns a field set: a managedFields entry without its fields and time (managedfields.go
 * BuildManagerIdentifier). Appliers are one manager whatever version they applied, so their apiVersion is not
 * part of the identity.
 *
 * @param operation "Apply" or "Update"
 * @param apiVersion "" for appliers
 * @param subresource "" for the object itself
 */
record ManagerId(String manager, String operation, String apiVersion, String subresource) {
    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    static ManagerId update(String manager, String apiVersion, String subresource) {
        return new ManagerId(manager.isEmpty() ? "unknown" : manager, UPDATE, apiVersion, subresource);
    }

    static ManagerId apply(String manager, String subresource) {
        return new ManagerId(manager.isEmpty() ? "unknown" : manager, APPLY, "", subresource);
    }

    boolean applied() {
        return operation.equals(APPLY);
    }

    /** The identifier as upstream encodes it (the JSON of the entry's remaining fields): maps sort managers by it. */
    String identifier() {
        StringBuilder b = new StringBuilder("{");
        if (!manager.isEmpty()) {
            b.append("\"manager\":").append(GoJson.string(manager));
        }
        if (!operation.isEmpty()) {
            b.append(b.length() > 1 ? "," : "").append("\"operation\":").append(GoJson.string(operation));
        }
        if (!apiVersion.isEmpty()) {
            b.append(b.length() > 1 ? "," : "").append("\"apiVersion\":").append(GoJson.string(apiVersion));
        }
        if (!subresource.isEmpty()) {
            b.append(b.length() > 1 ? "," : "").append("\"subresource\":").append(GoJson.string(subresource));
        }
        return b.append('}').toString();
    }

    /** conflict.go printManager: {@code "name"}, the subresource, and for updaters the version they wrote. */
    String describe() {
        String s = GoText.quote(manager);
        if (!subresource.isEmpty()) {
            s += " with subresource " + GoText.quote(subresource);
        }
        return operation.equals(UPDATE) ? s + " using " + apiVersion : s;
    }
}
