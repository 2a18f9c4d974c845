package io.kubetwin.apiserver.admission.policy;

import io.kubetwin.apiserver.admission.policy.Policies.NamedExpression;
import io.kubetwin.apiserver.admission.policy.PolicyCel.Compiled;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy's {@code variables} for one group of expressions (the match conditions, the validations, the messages or
 * the audit annotations), as upstream's composition context gives them (k8s.io/apiserver
 * pkg/admission/plugin/cel/composition.go): a variable is evaluated when an expression first reads it and then kept
 * for the rest of the group, so a variable nobody reads costs nothing and cannot fail anything. Its cost is
 * reported to the group's budget after the expression that read it ({@link #takeCost}); a variable that fails makes
 * every read fail with upstream's {@code composited variable "x" fails to evaluate: ...}. Not thread-safe: one per
 * evaluation.
 */
final class LazyVariables extends AbstractMap<String, Object> {

    /** Thrown out of a read of a failed variable; the evaluation reports its message. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<NamedExpression> definitions;
    private final List<Compiled> compiled;
    private final Map<String, Object> activation;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, String> errors = new HashMap<>();
    private long cost;

    /**
     * @param activation the expressions' other variables (object, request, params, ...); {@code variables} is added
     *     to a copy, pointing at this map, so that a variable can read the ones before it
     */
    LazyVariables(List<NamedExpression> definitions, PolicyCel.Variables compiled, Map<String, Object> activation) {
        this.definitions = definitions;
        this.compiled = compiled.compiled();
        for (int i = 0; i < definitions.size(); i++) {
            index.put(definitions.get(i).name(), i);
        }
        this.activation = new HashMap<>(activation);
        this.activation.put("variables", this);
    }

    /** The activation for the group's expressions: the given variables and this map as {@code variables}. */
    Map<String, Object> activation() {
        return activation;
    }

    /** The cost of the variables evaluated since the last call (compositionContext.GetAndResetCost). */
    long takeCost() {
        long taken = cost;
        cost = 0;
        return taken;
    }

    @Override
    public boolean containsKey(Object key) {
        return index.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        Integer i = index.get(key);
        if (i == null) {
            return null;
        }
        String name = (String) key;
        if (values.containsKey(name)) {
            return values.get(name);
        }
        if (!errors.containsKey(name)) {
            evaluate(name, i);
        }
        if (errors.containsKey(name)) {
            throw new Failed(errors.get(name));
        }
        return values.get(name);
    }

    private void evaluate(String name, int i) {
        if (compiled.get(i) instanceof Compiled.Error error) {
            errors.put(name, "composited variable \"" + name + "\" fails to compile: " + error.message());
            return;
        }
        CelCost.Evaluation e = CelCost.evaluate(((Compiled.Program) compiled.get(i)).program(), activation);
        cost += e.cost();
        if (e.error() != null) {
            errors.put(name, "composited variable \"" + name + "\" fails to evaluate: " + e.error());
        } else {
            values.put(name, e.value());
        }
    }

    /** Every variable, evaluated: only for a caller that asks for all of them (a printed {@code variables}). */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        var all = new LinkedHashMap<String, Object>();
        for (NamedExpression d : definitions) {
            all.put(d.name(), get(d.name()));
        }
        return all.entrySet();
    }
}
