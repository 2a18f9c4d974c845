package io.kubetwin.apiserver.admission.policy;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The CEL environment of admission expressions (k8s.io/apiserver/pkg/admission/plugin/cel/compile.go):
 * the variables {@code object}, {@code oldObject}, {@code request}, {@code params}, {@code namespaceObject},
 * {@code authorizer} and {@code variables}, the standard macros, the strings, sets, lists and optional
 * extensions of dev.cel, and the Kubernetes library ({@link KubernetesLibrary}).
 *
 * <p>As upstream, {@code object}, {@code oldObject} and {@code params} are {@code dyn}, {@code request} is
 * kubernetes.AdmissionRequest ({@link RequestType}) and {@code variables} a struct of the policy's variables typed by
 * their results ({@link #variables}); {@code namespaceObject} is {@code dyn} here (see known-divergences). Compiled
 * programs are cached by expression text, params and the variables' types. Thread-safe.
 */
public final class PolicyCel {

    /** What an expression is for: the checked result type it must have, and whether {@code authorizer} is bound. */
    public enum Expecting {
        /** validations and match conditions */
        BOOL("bool", true),
        /** messageExpressions: upstream binds no {@code authorizer} for them */
        STRING("string", false),
        /** audit annotations' valueExpressions: compiled with {@code authorizer}, evaluated without it */
        STRING_OR_NULL("one of [string null_type]", true),
        /** variables */
        ANY("", true);

        final String goName;
        final boolean authorizer;

        Expecting(String goName, boolean authorizer) {
            this.goName = goName;
            this.authorizer = authorizer;
        }
    }

    /** A compiled expression: a program, or the compile error text as upstream words it. */
    public sealed interface Compiled {
        /** @param type the checked result type */
        record Program(String expression, CelRuntime.Program program, CelType type) implements Compiled {}

        record Error(String message) implements Compiled {}
    }

    /** upstream's VariablesTypeName. */
    private static final String VARIABLES = "kubernetes.variables";

    private static final Pattern SYNTAX = Pattern.compile("(?m)^(ERROR: <input>:\\d+:\\d+: )");
    private static final Pattern CANDIDATES = Pattern.compile(" \\(candidates: [^\\n]*\\)(?=\\n)");

    /** Webhooks' matchConditions: no {@code params} and no {@code variables} (those are the policies'). */
    private final Supplier<Cel> forWebhooks = Suppliers.memoize(() -> build(false, null, true));

    /** Policies' environments by params and variables' types; built on first use (tens of milliseconds each). */
    private final Map<String, Cel> environments = new ConcurrentHashMap<>();

    private final Map<String, Variables> variables = new ConcurrentHashMap<>();

    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    /**
     * A policy's variables compiled in order, as CompileAndStoreVariables does: each in an environment where the
     * variables before it are declared with their result types (so {@code variables.later} is an undefined field),
     * and the struct type {@code variables} has in the policy's other expressions.
     *
     * @param compiled each variable's program or error, in order
     */
    public record Variables(String signature, StructType type, List<Compiled> compiled) {
        static final Variables NONE = new Variables("", struct(Map.of()), List.of());
    }

    private static Cel build(boolean params, StructType variables, boolean authorizer) {
        CelType dyn = SimpleType.DYN;
        var builder = base(
                        variables == null ? RequestType.with((CelTypeProvider) null) : RequestType.with(variables),
                        authorizer)
                .addVar("object", dyn)
                .addVar("oldObject", dyn);
        if (params) {
            builder.addVar("params", dyn);
        }
        if (variables != null) {
            builder.addVar("variables", variables);
        }
        return builder.build();
    }

    private static StructType struct(Map<String, CelType> fields) {
        return StructType.create(
                VARIABLES, ImmutableSet.copyOf(fields.keySet()), f -> Optional.ofNullable(fields.get(f)));
    }

    /** The policy's variables, compiled once per list of expressions (and params). */
    public Variables variables(List<Policies.NamedExpression> vars, boolean params) {
        if (vars.isEmpty()) {
            return Variables.NONE;
        }
        StringBuilder key = new StringBuilder().append(params);
        vars.forEach(v -> key.append('\u0000').append(v.name()).append('\u0001').append(v.expression()));
        return variables.computeIfAbsent(key.toString(), k -> compileVariables(vars, params));
    }

    private Variables compileVariables(List<Policies.NamedExpression> vars, boolean params) {
        Map<String, CelType> types = new LinkedHashMap<>();
        Map<String, CelType> sofar = new ConcurrentHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        vars.forEach(v -> names.add(v.name()));
        StructType growing =
                StructType.create(VARIABLES, ImmutableSet.copyOf(names), f -> Optional.ofNullable(sofar.get(f)));
        Cel incremental = build(params, growing, true);
        List<Compiled> compiled = new ArrayList<>();
        for (Policies.NamedExpression v : vars) {
            Compiled c = doCompile(incremental, v.expression(), Expecting.ANY);
            CelType type = c instanceof Compiled.Program p ? p.type() : SimpleType.DYN;
            compiled.add(c);
            types.put(v.name(), type);
            sofar.put(v.name(), type);
        }
        StringBuilder signature = new StringBuilder();
        types.forEach((n, t) -> signature.append(n).append(':').append(t).append(';'));
        return new Variables(signature.toString(), struct(Map.copyOf(types)), List.copyOf(compiled));
    }

    private Cel environment(boolean params, Variables vars, boolean authorizer) {
        return environments.computeIfAbsent(
                params + "\u0000" + authorizer + "\u0000" + vars.signature(),
                k -> build(params, vars.type(), authorizer));
    }

    /**
     * The type checker's environment (validating/typechecking.go buildEnvSet): {@code object} and
     * {@code oldObject} of the matched kind's type, {@code params} of the paramKind's type (undeclared when
     * {@code params} is null) and {@code variables} as a struct of the variables' types, with the struct types
     * found through {@code types}. Only for checking: building it costs tens of milliseconds.
     */
    static Cel typed(CelType object, CelType params, CelType variables, CelTypeProvider types) {
        var builder = base(RequestType.with(types), true)
                .addVar("object", object)
                .addVar("oldObject", object)
                .addVar("variables", variables);
        if (params != null) {
            builder.addVar("params", params);
        }
        return builder.build();
    }

    /**
     * What every admission environment declares: options, macros, libraries, request, namespaceObject, and
     * {@code authorizer} where upstream declares it (all but messageExpressions, whose OptionalVariableDeclarations
     * leave it out).
     */
    private static CelBuilder base(CelTypeProvider types, boolean authorizer) {
        CelOptions options = CelOptions.current()
                .enableOptionalSyntax(true)
                .enableHeterogeneousNumericComparisons(true)
                // cel-go's matches() finds the pattern anywhere (RE2 search), not only as a whole-string match
                .enableRegexPartialMatch(true)
                .build();
        CelType dyn = SimpleType.DYN;
        var builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addVar("request", RequestType.REQUEST)
                .addVar("namespaceObject", dyn);
        if (authorizer) {
            builder.addVar("authorizer", AuthorizerLibrary.AUTHORIZER);
        }
        return builder.addCompilerLibraries(
                        CelExtensions.strings(),
                        CelExtensions.sets(options),
                        CelExtensions.optional(),
                        CelExtensions.lists())
                .addRuntimeLibraries(
                        CelExtensions.strings(),
                        CelExtensions.sets(options),
                        CelExtensions.optional(),
                        CelExtensions.lists())
                .addFunctionDeclarations(KubernetesLibrary.declarations())
                .addFunctionBindings(KubernetesLibrary.bindings())
                .addFunctionDeclarations(NetworkLibrary.declarations())
                .addFunctionBindings(NetworkLibrary.bindings())
                .addFunctionDeclarations(AuthorizerLibrary.declarations())
                .addFunctionBindings(AuthorizerLibrary.bindings());
    }

    /**
     * Compiles (or takes from the cache) one expression, checking its result type.
     *
     * @param params whether the policy has a paramKind (only then is {@code params} declared)
     * @param vars the policy's variables ({@link #variables})
     */
    public Compiled compile(String expression, Expecting expecting, boolean params, Variables vars) {
        boolean authorizer = expecting.authorizer;
        return cache.computeIfAbsent(
                expecting + "\u0000" + params + "\u0000" + vars.signature() + "\u0000" + expression,
                k -> doCompile(environment(params, vars, authorizer), expression, expecting));
    }

    /** Compiles (or takes from the cache) a webhook's match condition, which must be a bool. */
    public Compiled compileMatchCondition(String expression) {
        return cache.computeIfAbsent(
                "webhook\u0000" + expression, k -> doCompile(forWebhooks.get(), expression, Expecting.BOOL));
    }

    private static Compiled doCompile(Cel cel, String expression, Expecting expecting) {
        CelAbstractSyntaxTree parsed;
        try {
            parsed = cel.parse(expression).getAst();
        } catch (CelValidationException e) {
            // cel-go words parser errors "Syntax error: ..."
            return new Compiled.Error(
                    "compilation failed: " + SYNTAX.matcher(e.getMessage()).replaceAll("$1Syntax error: "));
        }
        CelAbstractSyntaxTree checked;
        try {
            checked = cel.check(parsed).getAst();
        } catch (CelValidationException e) {
            return new Compiled.Error("compilation failed: " + checkerText(e));
        }
        CelType type = checked.getResultType();
        if (expecting != Expecting.ANY && !accepts(expecting, type)) {
            return new Compiled.Error("must evaluate to " + expecting.goName + " but got " + type.name());
        }
        try {
            return new Compiled.Program(expression, cel.createProgram(checked), type);
        } catch (CelEvaluationException e) {
            return new Compiled.Error("compilation failed: " + e.getMessage());
        }
    }

    /** cel-go's wording of checker issues: the same lines, without the list of candidate overloads. */
    static String checkerText(CelValidationException e) {
        String text = CANDIDATES.matcher(e.getMessage() + "\n").replaceAll("");
        return text.substring(0, text.length() - 1);
    }

    private static boolean accepts(Expecting expecting, CelType type) {
        CelKind kind = type.kind();
        if (kind == CelKind.DYN) {
            // the reference refuses a dyn result, but its request, namespaceObject and variables are typed where
            // the fake's are dyn: refusing dyn here would refuse what it accepts (see known-divergences)
            return true;
        }
        return switch (expecting) {
            case BOOL -> kind == CelKind.BOOL;
            case STRING -> kind == CelKind.STRING;
            case STRING_OR_NULL -> kind == CelKind.STRING || kind == CelKind.NULL_TYPE;
            case ANY -> true;
        };
    }
}
