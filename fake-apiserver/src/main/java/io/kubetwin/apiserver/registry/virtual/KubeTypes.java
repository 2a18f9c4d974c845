package io.kubetwin.apiserver.registry.virtual;

import static io.kubetwin.apiserver.registry.virtual.GoType.INT64;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRING;
import static io.kubetwin.apiserver.registry.virtual.GoType.STRINGS;
import static io.kubetwin.apiserver.registry.virtual.GoType.TIME;
import static io.kubetwin.apiserver.registry.virtual.GoType.field;
import static io.kubetwin.apiserver.registry.virtual.GoType.optional;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Schemas of the meta/v1 types every object embeds (k8s.io/apimachinery/pkg/apis/meta/v1/types.go), and the
 * top-level object shape: TypeMeta's {@code kind} and {@code apiVersion} first, then {@code metadata}.
 */
public final class KubeTypes {
    private KubeTypes() {}

    static final GoType.Struct OWNER_REFERENCE = GoType.Struct.of(
            "v1.OwnerReference",
            field("apiVersion", STRING),
            field("kind", STRING),
            field("name", STRING),
            field("uid", STRING),
            optional("controller", new GoType.Ptr(GoType.BOOL)),
            optional("blockOwnerDeletion", new GoType.Ptr(GoType.BOOL)));

    static final GoType.Struct MANAGED_FIELDS_ENTRY = GoType.Struct.of(
            "v1.ManagedFieldsEntry",
            optional("manager", STRING),
            optional("operation", STRING),
            optional("apiVersion", STRING),
            optional("time", new GoType.Ptr(TIME)),
            optional("fieldsType", STRING),
            optional("fieldsV1", new GoType.Ptr(new GoType.Raw())),
            optional("subresource", STRING));

    /** metav1.ObjectMeta. */
    public static final GoType.Struct OBJECT_META = GoType.Struct.of(
            "v1.ObjectMeta",
            optional("name", STRING),
            optional("generateName", STRING),
            optional("namespace", STRING),
            optional("selfLink", STRING),
            optional("uid", STRING),
            optional("resourceVersion", STRING),
            optional("generation", INT64),
            new GoType.Field("creationTimestamp", TIME, GoType.Omit.ZERO),
            optional("deletionTimestamp", new GoType.Ptr(TIME)),
            optional("deletionGracePeriodSeconds", new GoType.Ptr(INT64)),
            optional("labels", new GoType.MapOf(STRING)),
            optional("annotations", new GoType.MapOf(STRING)),
            optional("ownerReferences", new GoType.Slice(OWNER_REFERENCE)),
            optional("finalizers", STRINGS),
            optional("managedFields", new GoType.Slice(MANAGED_FIELDS_ENTRY)));

    /** {@code map[string]ExtraValue}: user extras (ExtraValue is a named []string). */
    public static GoType extraMap(String packageName) {
        return new GoType.MapOf(
                new GoType.Slice(STRING, packageName + ".ExtraValue"), "map[string]" + packageName + ".ExtraValue");
    }

    /** A top-level object: kind, apiVersion, metadata, then {@code fields}. */
    public static GoType.Struct object(String name, GoType.Field... fields) {
        List<GoType.Field> all = new ArrayList<>();
        all.add(optional("kind", STRING));
        all.add(optional("apiVersion", STRING));
        all.add(optional("metadata", OBJECT_META));
        all.addAll(Arrays.asList(fields));
        return new GoType.Struct(name, all);
    }
}
