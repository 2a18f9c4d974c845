package io.kubetwin.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.auth.attributes.UserInfo;

/**
 * What admission sees of one write (admission.Attributes in k8s.io/apiserver/pkg/admission/interfaces.go).
 *
 * @param operation CREATE, UPDATE, DELETE or CONNECT
 * @param object the incoming object (mutable: mutating plugins change it in place); null for DELETE and CONNECT
 * @param oldObject the stored object for UPDATE and DELETE, else null; must not be changed
 * @param group group of the Kind
 * @param version version of the Kind
 * @param kind the Kind of {@code object}
 * @param resourceGroup group of the resource addressed
 * @param resource the resource (plural) addressed
 * @param subresource the subresource addressed, "" for none
 * @param namespace the request's namespace, "" for cluster-scoped
 * @param name the object's name; "" on CREATE with generateName before a name is chosen
 * @param user the effective user
 * @param dryRun whether the request is a dry run (plugins with side effects must not act)
 * @param recorder receives the warnings and audit annotations admission produces
 */
public record AdmissionAttributes(
        Operation operation,
        ObjectNode object,
        ObjectNode oldObject,
        String group,
        String version,
        String kind,
        String resourceGroup,
        String resource,
        String subresource,
        String namespace,
        String name,
        UserInfo user,
        boolean dryRun,
        AdmissionRecorder recorder) {

    public AdmissionAttributes {
        group = group == null ? "" : group;
        resourceGroup = resourceGroup == null ? "" : resourceGroup;
        subresource = subresource == null ? "" : subresource;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        recorder = recorder == null ? AdmissionRecorder.NONE : recorder;
    }

    /** A write no client sees the warnings or audit annotations of (in-process writers, unit tests). */
    public AdmissionAttributes(
            Operation operation,
            ObjectNode object,
            ObjectNode oldObject,
            String group,
            String version,
            String kind,
            String resourceGroup,
            String resource,
            String subresource,
            String namespace,
            String name,
            UserInfo user,
            boolean dryRun) {
        this(
                operation,
                object,
                oldObject,
                group,
                version,
                kind,
                resourceGroup,
                resource,
                subresource,
                namespace,
                name,
                user,
                dryRun,
                AdmissionRecorder.NONE);
    }

    /** Whether this is the core group's Namespace kind. */
    public boolean isNamespaceKind() {
        return group.isEmpty() && "Namespace".equals(kind);
    }
}
