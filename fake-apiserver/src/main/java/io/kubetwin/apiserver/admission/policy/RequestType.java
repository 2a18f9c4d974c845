package io.kubetwin.apiserver.admission.policy;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL type of {@code request} (admission/plugin/cel/compile.go BuildRequestType): kubernetes.AdmissionRequest
 * with its GroupVersionKind, GroupVersionResource and UserInfo, so that {@code request.userInfo.username} is a
 * string and {@code request.usr} an undefined field when an expression is checked. Values stay maps at runtime.
 */
final class RequestType {
    private RequestType() {}

    private static final StructType GVK = struct(
            "kubernetes.GroupVersionKind",
            Map.of("group", SimpleType.STRING, "version", SimpleType.STRING, "kind", SimpleType.STRING));
    private static final StructType GVR = struct(
            "kubernetes.GroupVersionResource",
            Map.of("group", SimpleType.STRING, "version", SimpleType.STRING, "resource", SimpleType.STRING));
    private static final StructType USER_INFO = struct(
            "kubernetes.UserInfo",
            Map.of(
                    "username",
                    SimpleType.STRING,
                    "uid",
                    SimpleType.STRING,
                    "groups",
                    ListType.create(SimpleType.STRING),
                    "extra",
                    MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING))));

    static final StructType REQUEST;

    static {
        Map<String, CelType> fields = new LinkedHashMap<>();
        fields.put("kind", GVK);
        fields.put("resource", GVR);
        fields.put("subResource", SimpleType.STRING);
        fields.put("requestKind", GVK);
        fields.put("requestResource", GVR);
        fields.put("requestSubResource", SimpleType.STRING);
        fields.put("name", SimpleType.STRING);
        fields.put("namespace", SimpleType.STRING);
        fields.put("operation", SimpleType.STRING);
        fields.put("userInfo", USER_INFO);
        fields.put("dryRun", SimpleType.BOOL);
        fields.put("options", SimpleType.DYN);
        REQUEST = struct("kubernetes.AdmissionRequest", fields);
    }

    private static final List<CelType> ALL = List.of(GVK, GVR, USER_INFO, REQUEST);

    private static StructType struct(String name, Map<String, CelType> fields) {
        Map<String, CelType> copy = Map.copyOf(fields);
        return StructType.create(name, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(copy.get(f)));
    }

    /** Finds these types and {@code extra} by name. */
    static CelTypeProvider with(StructType extra) {
        return with(new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                return ImmutableList.of(extra);
            }

            @Override
            public Optional<CelType> findType(String name) {
                return name.equals(extra.name()) ? Optional.of(extra) : Optional.empty();
            }
        });
    }

    /** Finds these types by name, then asks {@code next} (null for none). */
    static CelTypeProvider with(CelTypeProvider next) {
        return new CelTypeProvider() {
            @Override
            public ImmutableCollection<CelType> types() {
                ImmutableList.Builder<CelType> all =
                        ImmutableList.<CelType>builder().addAll(ALL);
                if (next != null) {
                    all.addAll(next.types());
                }
                return all.build();
            }

            @Override
            public Optional<CelType> findType(String name) {
                for (CelType t : ALL) {
                    if (t.name().equals(name)) {
                        return Optional.of(t);
                    }
                }
                return next == null ? Optional.empty() : next.findType(name);
            }
        };
    }
}
