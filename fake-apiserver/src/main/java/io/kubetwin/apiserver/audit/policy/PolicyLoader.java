package io.kubetwin.apiserver.audit.policy;

import io.kubetwin.apiserver.api.YamlTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code --audit-policy-file} as kube-apiserver does at start-up (pkg/audit/policy/reader.go,
 * pkg/server/options/audit.go): YAML or JSON, {@code audit.k8s.io/v1} only (v1alpha1 and v1beta1 were
 * removed in Kubernetes 1.24, and the v1.34.4 reference refuses them), validated, at least one rule.
 * Unknown fields are accepted with a warning, as upstream's lenient decoding accepts them.
 *
 * <p>Pure (apart from reading the file) and thread-safe. Every refusal is a {@link PolicyLoadException}
 * whose message is upstream's start-up error, e.g.
 * {@code loading audit policy file: [rules[0].level: Required value, ...]: from file /etc/audit.yaml}.
 */
public final class PolicyLoader {
    private static final System.Logger LOG = System.getLogger(PolicyLoader.class.getName());

    private PolicyLoader() {}

    /** Loads and validates the policy file; warnings are also logged. */
    public static LoadedPolicy load(Path file) throws PolicyLoadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyLoadException(
                    "loading audit policy file: failed to read file path \"" + file + "\": " + goIoError(file, e));
        }
        try {
            LoadedPolicy loaded = parse(text);
            loaded.warnings().forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
            return loaded;
        } catch (PolicyLoadException e) {
            throw new PolicyLoadException("loading audit policy file: " + e.getMessage() + ": from file " + file);
        }
    }

    /**
     * Decodes and validates a policy document (the file's content). The exception message is the problem
     * alone, without the {@code loading audit policy file:} and {@code from file} parts.
     */
    public static LoadedPolicy parse(String document) throws PolicyLoadException {
        List<String> warnings = new ArrayList<>();
        PolicyDecoder.Decoded decoded;
        try {
            decoded = PolicyDecoder.decode(YamlTree.parse(document));
        } catch (YamlTree.SyntaxError e) {
            throw new PolicyLoadException("failed decoding: " + e.getMessage());
        } catch (PolicyDecoder.MissingVersion e) {
            if (e.warning != null) {
                LOG.log(System.Logger.Level.WARNING, lenient(e.warning));
            }
            throw new PolicyLoadException(e.getMessage());
        } catch (PolicyDecoder.DecodeError e) {
            throw new PolicyLoadException(e.getMessage());
        }
        if (decoded.strictError() != null) {
            warnings.add(lenient(decoded.strictError()));
        }
        List<String> errors = PolicyValidator.validate(decoded.policy());
        if (!errors.isEmpty()) {
            throw new PolicyLoadException(PolicyValidator.aggregate(errors));
        }
        if (decoded.policy().rules().isEmpty()) {
            throw new PolicyLoadException("loaded illegal policy with 0 rules");
        }
        return new LoadedPolicy(decoded.policy().toPolicy(), warnings);
    }

    private static String lenient(String strictError) {
        return "Audit policy contains errors, falling back to lenient decoding: " + strictError;
    }

    /** The text of Go's *PathError for the usual failures of os.ReadFile. */
    private static String goIoError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return "open " + file + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "open " + file + ": permission denied";
        }
        if (Files.isDirectory(file)) {
            return "read " + file + ": is a directory";
        }
        return "open " + file + ": " + e.getMessage();
    }
}
