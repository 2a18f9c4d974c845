package io.kubetwin.apiserver.admission.policy;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes CEL library functions dev.cel does not provide (k8s.io/apiserver/pkg/cel/library): the
 * list functions of lists.go ({@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf},
 * {@code lastIndexOf}), the regex functions of regex.go ({@code find}, {@code findAll}, RE2 syntax as
 * upstream) and the quantity functions of quantity.go (without {@code sign}, which v1.34's environment does not offer on quantities). Error
 * texts are upstream's.
 */
final class KubernetesLibrary {
    private KubernetesLibrary() {}

    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");

    static List<CelFunctionDecl> declarations() {
        TypeParamType t = TypeParamType.create("T");
        ListType listT = ListType.create(t);
        CelType string = SimpleType.STRING;
        CelType integer = SimpleType.INT;
        return List.of(
                fn("isSorted", CelOverloadDecl.newMemberOverload("list_is_sorted", SimpleType.BOOL, listT)),
                fn("sum", CelOverloadDecl.newMemberOverload("list_sum", t, listT)),
                fn("min", CelOverloadDecl.newMemberOverload("list_min", t, listT)),
                fn("max", CelOverloadDecl.newMemberOverload("list_max", t, listT)),
                fn("indexOf", CelOverloadDecl.newMemberOverload("list_index_of", integer, listT, t)),
                fn("lastIndexOf", CelOverloadDecl.newMemberOverload("list_last_index_of", integer, listT, t)),
                fn("find", CelOverloadDecl.newMemberOverload("string_find_string", string, string, string)),
                CelFunctionDecl.newFunctionDeclaration(
                        "findAll",
                        CelOverloadDecl.newMemberOverload(
                                "string_find_all_string", ListType.create(string), string, string),
                        CelOverloadDecl.newMemberOverload(
                                "string_find_all_string_int", ListType.create(string), string, string, integer)),
                fn("quantity", CelOverloadDecl.newGlobalOverload("string_to_quantity", QUANTITY, string)),
                fn("isQuantity", CelOverloadDecl.newGlobalOverload("is_quantity_string", SimpleType.BOOL, string)),
                fn("isInteger", CelOverloadDecl.newMemberOverload("quantity_is_integer", SimpleType.BOOL, QUANTITY)),
                fn("asInteger", CelOverloadDecl.newMemberOverload("quantity_get_integer", integer, QUANTITY)),
                fn(
                        "asApproximateFloat",
                        CelOverloadDecl.newMemberOverload("quantity_get_float", SimpleType.DOUBLE, QUANTITY)),
                fn("compareTo", CelOverloadDecl.newMemberOverload("quantity_compare_to", integer, QUANTITY, QUANTITY)),
                fn(
                        "isGreaterThan",
                        CelOverloadDecl.newMemberOverload("quantity_greater", SimpleType.BOOL, QUANTITY, QUANTITY)),
                fn(
                        "isLessThan",
                        CelOverloadDecl.newMemberOverload("quantity_less", SimpleType.BOOL, QUANTITY, QUANTITY)),
                CelFunctionDecl.newFunctionDeclaration(
                        "add",
                        CelOverloadDecl.newMemberOverload("quantity_add", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_add_int", QUANTITY, QUANTITY, integer)),
                CelFunctionDecl.newFunctionDeclaration(
                        "sub",
                        CelOverloadDecl.newMemberOverload("quantity_sub", QUANTITY, QUANTITY, QUANTITY),
                        CelOverloadDecl.newMemberOverload("quantity_sub_int", QUANTITY, QUANTITY, integer)));
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl overload) {
        return CelFunctionDecl.newFunctionDeclaration(name, overload);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("list_is_sorted", List.class, (List l) -> isSorted(l)),
                CelFunctionBinding.from("list_sum", List.class, (List l) -> sum(l)),
                CelFunctionBinding.from("list_min", List.class, (List l) -> extreme(l, true)),
                CelFunctionBinding.from("list_max", List.class, (List l) -> extreme(l, false)),
                CelFunctionBinding.from(
                        "list_index_of", List.class, Object.class, (List l, Object v) -> (long) indexOf(l, v)),
                CelFunctionBinding.from(
                        "list_last_index_of", List.class, Object.class, (List l, Object v) -> (long) lastIndexOf(l, v)),
                CelFunctionBinding.from("string_find_string", String.class, String.class, KubernetesLibrary::find),
                CelFunctionBinding.from(
                        "string_find_all_string",
                        String.class,
                        String.class,
                        (String s, String r) -> findAll(s, r, -1)),
                CelFunctionBinding.from(
                        "string_find_all_string_int",
                        List.of(String.class, String.class, Long.class),
                        args -> findAll((String) args[0], (String) args[1], (Long) args[2])),
                CelFunctionBinding.from("string_to_quantity", String.class, KubernetesLibrary::quantity),
                CelFunctionBinding.from("is_quantity_string", String.class, s -> Quantity.parse(s) != null),
                CelFunctionBinding.from("quantity_is_integer", Quantity.class, Quantity::isInteger),
                CelFunctionBinding.from("quantity_get_integer", Quantity.class, KubernetesLibrary::asInteger),
                CelFunctionBinding.from(
                        "quantity_get_float", Quantity.class, q -> q.value().doubleValue()),
                CelFunctionBinding.from(
                        "quantity_compare_to", Quantity.class, Quantity.class, (Quantity a, Quantity b) ->
                                (long) a.value().compareTo(b.value())),
                CelFunctionBinding.from(
                        "quantity_greater",
                        Quantity.class,
                        Quantity.class,
                        (Quantity a, Quantity b) -> a.value().compareTo(b.value()) > 0),
                CelFunctionBinding.from(
                        "quantity_less",
                        Quantity.class,
                        Quantity.class,
                        (Quantity a, Quantity b) -> a.value().compareTo(b.value()) < 0),
                CelFunctionBinding.from(
                        "quantity_add", Quantity.class, Quantity.class, (Quantity a, Quantity b) -> a.plus(b.value())),
                CelFunctionBinding.from(
                        "quantity_add_int",
                        Quantity.class,
                        Long.class,
                        (Quantity a, Long b) -> a.plus(BigDecimal.valueOf(b))),
                CelFunctionBinding.from(
                        "quantity_sub",
                        Quantity.class,
                        Quantity.class,
                        (Quantity a, Quantity b) -> a.plus(b.value().negate())),
                CelFunctionBinding.from(
                        "quantity_sub_int",
                        Quantity.class,
                        Long.class,
                        (Quantity a, Long b) -> a.plus(BigDecimal.valueOf(-b))));
    }

    private static boolean isSorted(List<Object> list) throws CelEvaluationException {
        for (int i = 1; i < list.size(); i++) {
            if (compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Object sum(List<Object> list) throws CelEvaluationException {
        if (list.isEmpty()) {
            return 0L; // upstream answers the zero of the element type; an empty dyn list has none
        }
        Object total = list.get(0);
        for (int i = 1; i < list.size(); i++) {
            Object v = list.get(i);
            if (total instanceof Long a && v instanceof Long b) {
                total = Math.addExact(a, b);
            } else if (total instanceof Double a && v instanceof Double b) {
                total = a + b;
            } else {
                throw new CelEvaluationException("no such overload: sum");
            }
        }
        return total;
    }

    private static Object extreme(List<Object> list, boolean min) throws CelEvaluationException {
        if (list.isEmpty()) {
            return error((min ? "min" : "max") + " called on empty list");
        }
        Object best = list.get(0);
        for (Object v : list) {
            int c = compare(v, best);
            if (min ? c < 0 : c > 0) {
                best = v;
            }
        }
        return best;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) throws CelEvaluationException {
        if (a instanceof Number x && b instanceof Number y && !(a instanceof Long && b instanceof Long)) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && b != null && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        throw new CelEvaluationException("no such overload");
    }

    private static int indexOf(List<Object> list, Object v) {
        for (int i = 0; i < list.size(); i++) {
            if (Objects.equals(list.get(i), v)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<Object> list, Object v) {
        for (int i = list.size() - 1; i >= 0; i--) {
            if (Objects.equals(list.get(i), v)) {
                return i;
            }
        }
        return -1;
    }

    private static Object find(String s, String regex) throws CelEvaluationException {
        Matcher m = compile(regex).matcher(s);
        return m.find() ? m.group() : "";
    }

    private static Object findAll(String s, String regex, long limit) throws CelEvaluationException {
        Matcher m = compile(regex).matcher(s);
        List<String> found = new ArrayList<>();
        while ((limit < 0 || found.size() < limit) && m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static Pattern compile(String regex) throws CelEvaluationException {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CelEvaluationException("error parsing regexp: " + e.getMessage());
        }
    }

    private static Object quantity(String s) throws CelEvaluationException {
        Quantity q = Quantity.parse(s);
        if (q == null) {
            return error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        return q;
    }

    private static Object asInteger(Quantity q) throws CelEvaluationException {
        if (!q.isInteger()) {
            return error("cannot convert value to integer");
        }
        try {
            return q.value().longValueExact();
        } catch (ArithmeticException e) {
            return error("cannot convert value to integer");
        }
    }

    private static Object error(String message) throws CelEvaluationException {
        throw new CelEvaluationException(message);
    }
}
