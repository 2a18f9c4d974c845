package io.kubetwin.apiserver.admission.policy;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The CEL environment of admission expressions (k8s.io/apiserver/pkg/admission/plugin/cel/compile.go):
 * the variables {@code object}, {@code oldObject}, {@code request}, {@code params}, {@code namespaceObject},
 * {@code authorizer} and {@code variables}, the standard macros, the strings, sets, lists and optional
 * extensions of dev.cel, and the Kubernetes library ({@link KubernetesLibrary}).
 *
 * <p>Objects are typed {@code dyn}: upstream types them from the resource's OpenAPI schema, so some type
 * errors it finds at compile time are found here only when evaluated (see known-divergences). Compiled
 * programs are cached by expression text. Thread-safe.
 */
public final class PolicyCel {

    /** The checked result type an expression must have. */
    public enum Expecting {
        BOOL("bool"),
        STRING("string"),
        STRING_OR_NULL("one of [string null_type]"),
        ANY("");

        final String goName;

        Expecting(String goName) {
            this.goName = goName;
        }
    }

    /** A compiled expression: a program, or the compile error text as upstream words it. */
    public sealed interface Compiled {
        record Program(String expression, CelRuntime.Program program) implements Compiled {}

        record Error(String message) implements Compiled {}
    }

    private static final Pattern SYNTAX = Pattern.compile("(?m)^(ERROR: <input>:\\d+:\\d+: )");
    private static final Pattern CANDIDATES = Pattern.compile(" \\(candidates: [^\\n]*\\)(?=\\n)");

    /**
     * With {@code params} (the policy has a paramKind) and without: upstream declares it only then. Built on
     * first use, so that a server without policies does not pay for them at start-up.
     */
    private final Supplier<Cel> withParams = Suppliers.memoize(() -> build(true, true));

    private final Supplier<Cel> withoutParams = Suppliers.memoize(() -> build(false, true));

    /** Webhooks' matchConditions: no {@code params} and no {@code variables} (those are the policies'). */
    private final Supplier<Cel> forWebhooks = Suppliers.memoize(() -> build(false, false));

    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    private static Cel build(boolean params, boolean variables) {
        CelType dyn = SimpleType.DYN;
        var builder = base().addVar("object", dyn).addVar("oldObject", dyn);
        if (params) {
            builder.addVar("params", dyn);
        }
        if (variables) {
            builder.addVar("variables", MapType.create(SimpleType.STRING, dyn));
        }
        return builder.build();
    }

    /**
     * The type checker's environment (validating/typechecking.go buildEnvSet): {@code object} and
     * {@code oldObject} of the matched kind's type, {@code params} of the paramKind's type (undeclared when
     * {@code params} is null) and {@code variables} as a struct of the variables' types, with the struct types
     * found through {@code types}. Only for checking: building it costs tens of milliseconds.
     */
    static Cel typed(CelType object, CelType params, CelType variables, CelTypeProvider types) {
        var builder = base().setTypeProvider(types)
                .addVar("object", object)
                .addVar("oldObject", object)
                .addVar("variables", variables);
        if (params != null) {
            builder.addVar("params", params);
        }
        return builder.build();
    }

    /** What every admission environment declares: options, macros, libraries, request, namespaceObject, authorizer. */
    private static CelBuilder base() {
        CelOptions options = CelOptions.current()
                .enableOptionalSyntax(true)
                .enableHeterogeneousNumericComparisons(true)
                // cel-go's matches() finds the pattern anywhere (RE2 search), not only as a whole-string match
                .enableRegexPartialMatch(true)
                .build();
        CelType dyn = SimpleType.DYN;
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("request", dyn)
                .addVar("namespaceObject", dyn)
                .addVar("authorizer", AuthorizerLibrary.AUTHORIZER)
                .addCompilerLibraries(
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
     */
    public Compiled compile(String expression, Expecting expecting, boolean params) {
        return cache.computeIfAbsent(
                expecting + "\u0000" + params + "\u0000" + expression,
                k -> doCompile((params ? withParams : withoutParams).get(), expression, expecting));
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
            return new Compiled.Program(expression, cel.createProgram(checked));
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
