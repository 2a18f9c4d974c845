package io.kubetwin.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubetwin.apiserver.registry.patch.MergeKeys;
import io.kubetwin.apiserver.registry.table.TableConvertor;
import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.registry.validation.Names;
import io.kubetwin.auth.attributes.UserInfo;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The per-kind behaviour of the generic registry, in the role of a kind's strategy.go upstream
 * (rest.RESTCreateStrategy / RESTUpdateStrategy / RESTDeleteStrategy plus GetAttrs and the table
 * printer). Every method has a generic default, so a kind overrides only what differs.
 *
 * <p>Implementations are stateless and thread-safe. Objects passed in are the request's private
 * copies and may be changed in place; {@code old} objects must not be changed.
 */
public interface ResourceStrategy {

    /** The rule for metadata.name and generateName (DNS-1123 subdomain unless the kind says otherwise). */
    default Names.NameRule nameRule() {
        return Names.DNS_SUBDOMAIN;
    }

    /** Whether metadata.generation is tracked: set to 1 on create and bumped when the spec changes. */
    default boolean tracksGeneration() {
        return false;
    }

    /** Clears what clients may not set on create (status for most kinds) and fills system-owned fields. */
    default void prepareForCreate(ObjectNode object) {}

    /** As {@link #prepareForCreate(ObjectNode)}, for kinds that record the requesting user (CSRs). */
    default void prepareForCreate(ObjectNode object, UserInfo user) {
        prepareForCreate(object);
    }

    /** Fills defaults, as the versioned defaulters do on decode; called on create and update. */
    default void applyDefaults(ObjectNode object) {}

    /** Carries over what an update of the main resource may not change (status for most kinds). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old) {}

    /**
     * What the status strategy's PrepareForUpdate does beyond keeping everything but the status (which the registry
     * does before calling this): the drops of fields whose feature gate is off (pods, claims).
     */
    default void prepareForStatusUpdate(ObjectNode object, ObjectNode old) {}

    /** Whether PUT of a missing object creates it (201), as for events and the RBAC kinds (AllowCreateOnUpdate). */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /** Kind-specific checks of a new object; metadata is checked by the registry. */
    default List<FieldError> validate(ObjectNode object) {
        return List.of();
    }

    /** Kind-specific checks of an update; metadata is checked by the registry. */
    default List<FieldError> validateUpdate(ObjectNode object, ObjectNode old) {
        return validate(object);
    }

    /**
     * Whether DELETE answers the deleted object (store.go ReturnDeletedObject) rather than a
     * {@code Status Success} with details.
     */
    default boolean returnDeletedObject() {
        return false;
    }

    /**
     * Field-selector labels beyond metadata.name/metadata.namespace, with how to read them. When
     * {@link #fieldLabels()} is null the generic conversion applies (only the two metadata fields).
     */
    default Map<String, Function<ObjectNode, String>> selectableFields() {
        return Map.of();
    }

    /** The field labels the kind's conversion accepts, or null for the default metadata-only conversion. */
    default List<String> fieldLabels() {
        return null;
    }

    /** The selectable field a supported field label reads (events.k8s.io maps regarding.* to involvedObject.*). */
    default String mapFieldLabel(String label) {
        return label;
    }

    /** Top-level keys in the order the Go struct serialises them; others keep their order after these. */
    default List<String> fieldOrder() {
        return List.of("kind", "apiVersion", "metadata", "spec", "status");
    }

    /**
     * Key orders of nested objects by path (field names from the root joined by '.', list positions
     * omitted, e.g. "spec.containers"), so that stored objects serialise in the Go structs' order.
     */
    default Map<String, List<String>> nestedFieldOrder() {
        return Map.of();
    }

    /** Top-level fields that are Go maps (e.g. a ConfigMap's data): their keys serialise sorted. */
    default List<String> mapFields() {
        return List.of();
    }

    /**
     * Whether objects are served unstructured, as custom resources are: list items keep kind and
     * apiVersion, and list metadata always carries {@code continue}.
     */
    default boolean unstructured() {
        return false;
    }

    /** How lists and objects render as meta.k8s.io Tables. */
    default TableConvertor table() {
        return TableConvertor.DEFAULT;
    }

    /** Strategic-merge-patch list semantics; null when the kind does not support strategic merge (CRDs' objects). */
    default MergeKeys mergeKeys() {
        return MergeKeys.NONE;
    }

    /**
     * The strategy for writes through a subresource the generic update path serves ("status",
     * "approval"), as upstream registers a separate strategy per subresource (e.g. csrStatusStrategy).
     * Returning {@code this} (the default) keeps the registry's generic handling: a status write keeps
     * everything but status. A distinct strategy takes over {@link #prepareForUpdate} and
     * {@link #validateUpdate} for that subresource and decides alone what the write may change.
     */
    default ResourceStrategy forSubresource(String subresource) {
        return this;
    }

    /**
     * For a subresource's strategy: whether its {@link #prepareForUpdate} runs after mutating admission, as
     * upstream's PrepareForUpdate does, admission seeing the object as sent with the main strategy's defaults
     * (pods/ephemeralcontainers); false runs it before admission.
     */
    default boolean preparesAfterMutation() {
        return false;
    }

    /**
     * Whether an update bumps metadata.generation (when {@link #tracksGeneration()}): by default any
     * change outside metadata, status, kind and apiVersion. Custom resources count status too when they
     * have no status subresource (customresource/strategy.go).
     */
    /**
     * Whether a write of the status subresource also takes the object's new metadata.annotations (the deployment
     * status strategy resets only spec and labels, so the deployment controller writes its revision annotation
     * through UpdateStatus); by default every field but status stays as stored (ResetObjectMetaForStatus).
     */
    default boolean statusKeepsNewAnnotations() {
        return false;
    }

    default boolean changesGeneration(ObjectNode object, ObjectNode old) {
        ObjectNode a = object.deepCopy();
        ObjectNode b = old.deepCopy();
        for (ObjectNode n : new ObjectNode[] {a, b}) {
            n.remove(List.of("metadata", "status", "kind", "apiVersion"));
        }
        return !a.equals(b);
    }

    /**
     * Last step before an object is stored, after the registry has put fields in Go struct order:
     * custom resources are unstructured maps upstream and serialise with sorted keys.
     */
    default void canonicalize(ObjectNode object) {}

    /**
     * The kind's own first step of a DELETE (CRDs add their cleanup finalizer and a Terminating condition,
     * customresourcedefinition/etcd.go). Returns whether it changed {@code current}; the registry then
     * stores the change before the generic delete runs. {@code now} is the RFC 3339 time of the request.
     */
    default boolean prepareForDelete(ObjectNode current, String now) {
        return false;
    }

    /**
     * The structural schema (openAPIV3Schema) of a custom resource's version, which server-side apply and
     * managedFields take list and map semantics from; null for built-in kinds, whose recorded OpenAPI document is
     * used instead.
     */
    default JsonNode structuralSchema(ObjectNode object) {
        return null;
    }

    /**
     * Drops the fields a custom resource's structural schema does not know, answering their paths (strict decoding's
     * unknown fields); built-in kinds prune nothing here (their Go type does).
     */
    default List<String> pruneUnknownFields(ObjectNode object) {
        return List.of();
    }
}
