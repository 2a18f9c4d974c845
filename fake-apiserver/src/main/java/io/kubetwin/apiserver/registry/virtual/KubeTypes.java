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
 * Schemas of the meta/v1 types every object embeds (k8s.io/apimachinery/pkg/apis/meta/v1/types.go and
 * generated.proto), and the top-level object shape: TypeMeta's {@code kind} and {@code apiVersion} first,
 * then {@code metadata} (protobuf field 1).
 */
public final class KubeTypes {
    private KubeTypes() {}

    static final GoType.Struct OWNER_REFERENCE = GoType.Struct.of("v1.OwnerReference",
            field("apiVersion", 5, STRING),
            field("kind", 1, STRING),
            field("name", 3, STRING),
            field("uid", 4, STRING),
            optional("controller", 6, new GoType.Ptr(GoType.BOOL)),
            optional("blockOwnerDeletion", 7, new GoType.Ptr(GoType.BOOL)));

    static final GoType.Struct MANAGED_FIELDS_ENTRY = GoType.Struct.of("v1.ManagedFieldsEntry",
            optional("manager", 1, STRING),
            optional("operation", 2, STRING),
            optional("apiVersion", 3, STRING),
            optional("time", 4, new GoType.Ptr(TIME)),
            optional("fieldsType", 6, STRING),
            optional("fieldsV1", 7, new GoType.Ptr(new GoType.Raw())),
            optional("subresource", 8, STRING));

    /** metav1.ObjectMeta. */
    public static final GoType.Struct OBJECT_META = GoType.Struct.of("v1.ObjectMeta",
            optional("name", 1, STRING),
            optional("generateName", 2, STRING),
            optional("namespace", 3, STRING),
            optional("selfLink", 4, STRING),
            optional("uid", 5, STRING),
            optional("resourceVersion", 6, STRING),
            optional("generation", 7, INT64),
            new GoType.Field("creationTimestamp", 8, TIME, GoType.Omit.ZERO),
            optional("deletionTimestamp", 9, new GoType.Ptr(TIME)),
            optional("deletionGracePeriodSeconds", 10, new GoType.Ptr(INT64)),
            optional("labels", 11, new GoType.MapOf(STRING)),
            optional("annotations", 12, new GoType.MapOf(STRING)),
            optional("ownerReferences", 13, new GoType.Slice(OWNER_REFERENCE)),
            optional("finalizers", 14, STRINGS),
            optional("managedFields", 17, new GoType.Slice(MANAGED_FIELDS_ENTRY)));

    /** {@code map[string]ExtraValue}: user extras, wrapped in a message per value in protobuf. */
    public static GoType extraMap(String packageName) {
        return new GoType.MapOf(new GoType.Slice(STRING, packageName + ".ExtraValue", true),
                "map[string]" + packageName + ".ExtraValue");
    }

    /** A top-level object: kind, apiVersion, metadata (field 1), then {@code fields}. */
    public static GoType.Struct object(String name, GoType.Field... fields) {
        List<GoType.Field> all = new ArrayList<>();
        all.add(optional("kind", 0, STRING));
        all.add(optional("apiVersion", 0, STRING));
        all.add(optional("metadata", 1, OBJECT_META));
        all.addAll(Arrays.asList(fields));
        return new GoType.Struct(name, all);
    }
}
