package io.kubetwin.apiserver.admission.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import io.kubetwin.apiserver.registry.ResourceCatalog;
import io.kubetwin.apiserver.registry.apply.OpenApiSchemas;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The type checking of a ValidatingAdmissionPolicy's expressions against the schemas of the kinds it matches
 * (k8s.io/apiserver/pkg/admission/plugin/policy/validating/typechecking.go), whose warnings the status controller
 * writes to {@code status.typeChecking}: the kinds of the matchConstraints' resourceRules without wildcards (at most
 * 10, sorted by group, version and kind; subresources skipped), each with a schema recorded for it, type
 * {@code object} and {@code oldObject}; the paramKind's schema types {@code params} (a paramKind without one leaves
 * {@code params} undeclared, as upstream); variables are compiled in order and typed by their results. Each
 * validation's expression and messageExpression that does not check for some kind gets one warning, the kinds'
 * issues in cel-go's words. Blocking (builds a CEL environment per kind): call it off the event loop. Thread-safe.
 */
public final class PolicyTypeChecker {
    private static final int MAX_TYPES = 10;

    /** One ExpressionWarning of status.typeChecking. */
    public record ExpressionWarning(String fieldRef, String warning) {}

    private record Gvk(String group, String version, String kind) {
        /** Go's schema.GroupVersionKind String(). */
        @Override
        public String toString() {
            return group + "/" + version + ", Kind=" + kind;
        }
    }

    private final ResourceCatalog catalog;
    private final OpenApiSchemas schemas;

    public PolicyTypeChecker(ResourceCatalog catalog, OpenApiSchemas schemas) {
        this.catalog = catalog;
        this.schemas = schemas;
    }

    /** The warnings of a stored policy (TypeChecker.Check), empty when every expression checks. */
    public List<ExpressionWarning> check(JsonNode policy) {
        Policies.Policy p = Policies.Policy.of(policy);
        List<Cel> envs = new ArrayList<>();
        List<Gvk> gvks = new ArrayList<>();
        SchemaCelTypes params = p.paramKind() == null ? null : schema(paramsGvk(p.paramKind()), "Params");
        for (Gvk gvk : typesToCheck(p)) {
            SchemaCelTypes object = schema(gvk, gvk.kind());
            if (object != null) {
                gvks.add(gvk);
                envs.add(environment(object, params, p.variables()));
            }
        }
        List<ExpressionWarning> warnings = new ArrayList<>();
        for (int i = 0; i < p.validations().size(); i++) {
            Policies.Validation v = p.validations().get(i);
            String ref = "spec.validations[" + i + "].";
            String w = checkExpression(gvks, envs, v.expression());
            if (!w.isEmpty()) {
                warnings.add(new ExpressionWarning(ref + "expression", w));
            }
            if (!v.messageExpression().isEmpty()) {
                w = checkExpression(gvks, envs, v.messageExpression());
                if (!w.isEmpty()) {
                    warnings.add(new ExpressionWarning(ref + "messageExpression", w));
                }
            }
        }
        return warnings;
    }

    /** TypeCheckingResults.String(): "GVK: issues\n" per kind with issues, joined by newlines. */
    private static String checkExpression(List<Gvk> gvks, List<Cel> envs, String expression) {
        List<String> results = new ArrayList<>();
        for (int i = 0; i < gvks.size(); i++) {
            String issues = issues(envs.get(i), expression);
            if (issues != null) {
                results.add(gvks.get(i) + ": " + issues + "\n");
            }
        }
        return String.join("\n", results);
    }

    /** cel-go's issues.String() of compiling {@code expression}, null when it checks. */
    private static String issues(Cel cel, String expression) {
        try {
            cel.check(cel.parse(expression).getAst()).getAst();
            return null;
        } catch (CelValidationException e) {
            return PolicyCel.checkerText(e);
        }
    }

    /** An environment for one kind, with the variables compiled in order and typed by their results. */
    private static Cel environment(SchemaCelTypes object, SchemaCelTypes params, List<Policies.NamedExpression> vars) {
        Map<String, CelType> compiled = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        vars.forEach(v -> names.add(v.name()));
        // the checker asks the struct for a field as it meets it: only the variables compiled so far are defined
        StructType variables = StructType.create(
                "kubernetes.variables", ImmutableSet.copyOf(names), f -> Optional.ofNullable(compiled.get(f)));
        CelTypeProvider types = new Types(object, params, variables);
        Cel cel = PolicyCel.typed(object.root(), params == null ? null : params.root(), variables, types);
        for (Policies.NamedExpression v : vars) {
            CelType type;
            try {
                type = cel.check(cel.parse(v.expression()).getAst()).getAst().getResultType();
            } catch (CelValidationException e) {
                type = SimpleType.DYN;
            }
            compiled.put(v.name(), type);
        }
        return cel;
    }

    /** The struct types of the object's, the params' and the variables' schemas, by name. */
    private record Types(SchemaCelTypes object, SchemaCelTypes params, StructType variables)
            implements CelTypeProvider {
        @Override
        public ImmutableCollection<CelType> types() {
            ImmutableList.Builder<CelType> all = ImmutableList.builder();
            all.addAll(object.types()).add(variables);
            if (params != null) {
                all.addAll(params.types());
            }
            return all.build();
        }

        @Override
        public Optional<CelType> findType(String name) {
            if (name.equals(variables.name())) {
                return Optional.of(variables);
            }
            Optional<CelType> t = object.findType(name);
            return t.isPresent() || params == null ? t : params.findType(name);
        }
    }

    /** The types of a built-in kind's recorded schema (declType), null when none is recorded or it has no type. */
    private SchemaCelTypes schema(Gvk gvk, String prefix) {
        if (gvk == null) {
            return null;
        }
        return schemas.raw(gvk.group(), gvk.version(), gvk.kind())
                .map(r -> new SchemaCelTypes(prefix, r.schema(), r.refs()))
                .filter(t -> t.root() != null)
                .orElse(null);
    }

    private static Gvk paramsGvk(Policies.ParamKind pk) {
        String apiVersion = pk.apiVersion();
        int slash = apiVersion.indexOf('/');
        if (apiVersion.indexOf('/', slash + 1) >= 0) {
            return null; // schema.ParseGroupVersion refuses it
        }
        return slash < 0
                ? new Gvk("", apiVersion, pk.kind())
                : new Gvk(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), pk.kind());
    }

    /** typesToCheck: the kinds the served resources of the rules' groups, versions and resources have. */
    private List<Gvk> typesToCheck(Policies.Policy p) {
        if (p.matchConstraints() == null) {
            return List.of();
        }
        Set<Gvk> gvks = new LinkedHashSet<>();
        int count = 0;
        for (Policies.Rule rule : p.matchConstraints().resourceRules()) {
            if (rule.apiGroups().stream().anyMatch(g -> g.contains("*"))
                    || rule.apiVersions().stream().anyMatch(v -> v.contains("*"))) {
                continue;
            }
            Set<String> resources = new TreeSet<>();
            rule.resources().stream()
                    .filter(r -> !r.contains("*") && !r.contains("/"))
                    .forEach(resources::add);
            for (String group : new TreeSet<>(rule.apiGroups())) {
                for (String version : new TreeSet<>(rule.apiVersions())) {
                    for (String resource : resources) {
                        var served = catalog.lookup(group, version, resource);
                        if (served.isEmpty()) {
                            continue;
                        }
                        var t = served.get().type();
                        gvks.add(new Gvk(t.group(), t.version(), t.kind()));
                        if (++count == MAX_TYPES) {
                            return sorted(gvks);
                        }
                    }
                }
            }
        }
        return sorted(gvks);
    }

    private static List<Gvk> sorted(Set<Gvk> gvks) {
        return gvks.stream()
                .sorted(Comparator.comparing(Gvk::group)
                        .thenComparing(Gvk::version)
                        .thenComparing(Gvk::kind))
                .toList();
    }
}
