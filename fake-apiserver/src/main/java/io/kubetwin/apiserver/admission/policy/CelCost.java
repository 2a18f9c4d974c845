package io.kubetwin.apiserver.admission.policy;

import dev.cel.common.ast.CelExpr;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationListener;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelUnknownSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cel-go's runtime cost of one evaluation (cel-go interpreter/runtimecost.go with the Kubernetes library's
 * CallCost, k8s.io/apiserver/pkg/cel/library/cost.go), tracked through dev.cel's evaluation listener node by
 * node: identifiers and field selections cost 1 ({@code has()} 0), constant indexes 1, list/map/struct literals
 * 10/30/40 (0 when all constant: cel-go folds them), calls 1 or their size-dependent cost, an authorization check
 * 350000; checked against cel-go's own numbers in CelCostTest. Past {@link #PER_CALL_LIMIT} the evaluation is
 * cancelled as cel-go's ({@link Exceeded}). One instance per evaluation; not thread-safe.
 */
final class CelCost implements CelEvaluationListener {
    /** PerCallLimit of k8s.io/apiserver/pkg/apis/cel/config.go. */
    static final long PER_CALL_LIMIT = 1_000_000;
    /** RuntimeCELCostBudget: validations of one policy evaluation, and its audit annotations. */
    static final long RUNTIME_BUDGET = 10_000_000;
    /** RuntimeCELCostBudgetMatchConditions: the matchConditions of one policy binding or one webhook. */
    static final long MATCH_CONDITIONS_BUDGET = 2_500_000;

    static final String OUT_OF_BUDGET =
            "validation failed due to running out of cost budget, no further validation rules will be run";
    static final String CANCELLED = "operation cancelled: actual cost limit exceeded";

    private static final double STRING_TRAVERSAL = 0.1;
    private static final double REGEX_LENGTH = 0.25;

    /** Thrown from the listener to stop an evaluation that passed the per-call limit. */
    static final class Exceeded extends RuntimeException {
        Exceeded() {
            super(CANCELLED, null, false, false);
        }
    }

    /** The outcome of one tracked evaluation: a value or cel-go's error text, and the cost spent. */
    record Evaluation(Object value, String error, long cost) {}

    /**
     * Evaluates {@code program} on {@code vars}, tracking its cost; an evaluation past the per-call limit is
     * cancelled with cel-go's error.
     */
    static Evaluation evaluate(CelRuntime.Program program, Map<String, ?> vars) {
        CelCost tracker = new CelCost();
        try {
            Object value = program.trace(vars, tracker);
            if (value instanceof CelUnknownSet unknown) {
                // dev.cel answers an unbound variable with an unknown; cel-go fails (audit annotations' authorizer)
                return new Evaluation(null, "no such attribute(s): " + unbound(unknown), tracker.cost);
            }
            return new Evaluation(value, null, tracker.cost);
        } catch (CelEvaluationException e) {
            if (cancelled(e)) {
                return new Evaluation(null, CANCELLED, tracker.cost);
            }
            return new Evaluation(null, PolicyEvaluator.goText(e), tracker.cost);
        } catch (Exceeded e) {
            return new Evaluation(null, CANCELLED, tracker.cost);
        }
    }

    /**
     * The unbound names as cel-go lists them; dev.cel's unknown may carry none, and {@code authorizer} is the only
     * variable an admission activation leaves unbound.
     */
    private static String unbound(CelUnknownSet unknown) {
        return unknown.attributes().isEmpty()
                ? "authorizer"
                : String.join(
                        ", ",
                        unknown.attributes().stream()
                                .map(Object::toString)
                                .sorted()
                                .toList());
    }

    private static boolean cancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Exceeded) {
                return true;
            }
        }
        return false;
    }

    private final Map<Long, Object> values = new HashMap<>();
    private long cost;

    long cost() {
        return cost;
    }

    @Override
    public void callback(CelExpr expr, Object result) {
        values.put(expr.id(), result);
        cost += switch (expr.getKind()) {
            case IDENT -> 1;
            case SELECT ->
                expr.select().testOnly() ? 0 : 1 + relative(expr.select().operand());
            case LIST, MAP -> constant(expr) ? 0 : expr.getKind() == CelExpr.ExprKind.Kind.LIST ? 10 : 30;
            case STRUCT -> 40;
            case CALL -> call(expr.call(), result);
            default -> 0;
        };
        if (cost > PER_CALL_LIMIT) {
            throw new Exceeded();
        }
    }

    private long call(CelExpr.CelCall call, Object result) {
        String f = call.function();
        // evalAnd, evalOr and conditionals cost nothing of their own
        if (f.equals("_&&_") || f.equals("_||_") || f.equals("_?_:_")) {
            return 0;
        }
        if (f.equals("_[_]") && call.args().size() == 2) {
            // a qualifier of an attribute: a constant index costs 1, a computed one only its own evaluation
            CelExpr index = call.args().get(1);
            return (index.getKind() == CelExpr.ExprKind.Kind.CONSTANT ? 1 : 0)
                    + relative(call.args().get(0));
        }
        List<Object> args = new ArrayList<>();
        call.target().ifPresent(t -> args.add(values.get(t.id())));
        for (CelExpr a : call.args()) {
            args.add(values.get(a.id()));
        }
        return switch (f) {
            case "check" -> 350_000;
            case "startsWith",
                    "endsWith",
                    "url",
                    "lowerAscii",
                    "upperAscii",
                    "substring",
                    "trim",
                    "cidr",
                    "isIP",
                    "isCIDR",
                    "quantity",
                    "isQuantity",
                    "isURL" -> scaled(size(arg(args, 0)), STRING_TRAVERSAL);
            case "replace", "split" -> scaled(size(arg(args, 0)), 2 * STRING_TRAVERSAL);
            case "join" -> scaled(size(result), 2 * STRING_TRAVERSAL);
            case "@in" -> arg(args, 1) instanceof List<?> l ? l.size() : 1; // in_list; in_map costs 1
            case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_" -> comparison(f, args);
            case "_+_" ->
                args.size() == 2 && isText(args.get(0))
                        ? scaled(size(args.get(0)) + size(args.get(1)), STRING_TRAVERSAL)
                        : 1;
            case "matches", "find", "findAll" ->
                scaled(1 + size(arg(args, 0)), STRING_TRAVERSAL) * scaled(size(arg(args, 1)), REGEX_LENGTH);
            case "contains" ->
                isText(arg(args, 0))
                        ? scaled(size(args.get(0)), STRING_TRAVERSAL) * scaled(size(arg(args, 1)), STRING_TRAVERSAL)
                        : 1;
            case "isSorted", "sum", "max", "min", "indexOf", "lastIndexOf" ->
                isText(arg(args, 0)) ? 1 : traversal(arg(args, 0));
            default -> 1;
        };
    }

    /** Equality costs by the smaller operand; ordering only for strings and bytes (others cost 1). */
    private static long comparison(String f, List<Object> args) {
        if (args.size() != 2) {
            return 1;
        }
        boolean equality = f.equals("_==_") || f.equals("_!=_");
        if (!equality && !isText(args.get(0))) {
            return 1;
        }
        return scaled(Math.min(size(args.get(0)), size(args.get(1))), STRING_TRAVERSAL);
    }

    /**
     * cel-go plans a selection or index on anything but a variable's attribute (a literal, a call's result) as a
     * relative attribute, which costs 1 of its own.
     */
    private static int relative(CelExpr operand) {
        return attribute(operand) ? 0 : 1;
    }

    private static boolean attribute(CelExpr e) {
        return switch (e.getKind()) {
            case IDENT -> true;
            case SELECT -> !e.select().testOnly() && attribute(e.select().operand());
            case CALL ->
                e.call().function().equals("_[_]")
                        && e.call().args().size() == 2
                        && attribute(e.call().args().get(0));
            default -> false;
        };
    }

    /** A list or map literal of constants, which cel-go's planner folds into a constant of no cost. */
    private static boolean constant(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> true;
            case LIST -> e.list().elements().stream().allMatch(CelCost::constant);
            case MAP -> e.map().entries().stream().allMatch(en -> constant(en.key()) && constant(en.value()));
            default -> false;
        };
    }

    private static Object arg(List<Object> args, int i) {
        return i < args.size() ? args.get(i) : null;
    }

    private static boolean isText(Object v) {
        return v instanceof String || v instanceof com.google.protobuf.ByteString;
    }

    private static long scaled(long size, double factor) {
        return (long) Math.ceil(size * factor);
    }

    /** cel-go's actualSize: a string's runes, a collection's elements, 1 for anything else. */
    static long size(Object v) {
        if (v instanceof String s) {
            return s.codePointCount(0, s.length());
        }
        if (v instanceof com.google.protobuf.ByteString b) {
            return b.size();
        }
        if (v instanceof List<?> l) {
            return l.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        if (v instanceof Optional<?> o && o.isPresent()) {
            return size(o.get());
        }
        return 1;
    }

    /** traversalCost of the Kubernetes library: a collection's elements (and keys), strings by length. */
    private static long traversal(Object v) {
        if (v instanceof String s) {
            return (long) (s.length() * STRING_TRAVERSAL);
        }
        if (v instanceof List<?> l) {
            long c = 0;
            for (Object e : l) {
                c += traversal(e);
            }
            return c;
        }
        if (v instanceof Map<?, ?> m) {
            long c = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c += traversal(e.getKey()) + traversal(e.getValue());
            }
            return c;
        }
        return 1;
    }
}
