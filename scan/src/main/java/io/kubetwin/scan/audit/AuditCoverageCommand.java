package io.kubetwin.scan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubetwin scan audit-coverage [--rules FILE] --policy FILE|seed:NAME ...}: which detection rules (the starter
 * rules, or a rule file's) each policy keeps alive. A malformed rule file ends it with exit code 2 and the reason.
 */
@Command(
        name = "audit-coverage",
        mixinStandardHelpOptions = true,
        description = "Which of the starter detection rules stay alive under each audit policy, and what it costs.")
public final class AuditCoverageCommand implements Callable<Integer> {

    @Option(
            names = "--policy",
            description = "an audit policy file, or seed:NAME ("
                    + "metadata, ignore-system-users, alibaba, admin-anonymous); "
                    + "repeatable; default: the four seed policies")
    List<String> policies = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--rules",
            description = "detection rules in Falco's rule-file format (k8s_audit rules, plus the watches each is"
                    + " about); default: the 20 starter rules")
    Path rules;

    @Option(names = "--out", description = "write the Markdown report here instead of standard output")
    Path out;

    @Override
    public Integer call() throws Exception {
        var loaded = new ArrayList<AuditPolicy>();
        if (policies.isEmpty()) {
            AuditPolicy.SEEDS.forEach(s -> loaded.add(AuditPolicy.seed(s)));
        }
        for (var p : policies) {
            loaded.add(p.startsWith("seed:") ? AuditPolicy.seed(p.substring(5)) : AuditPolicy.read(Path.of(p)));
        }
        List<DetectionRule> detection;
        try {
            detection = rules == null ? StarterRules.all() : RuleFile.read(rules);
        } catch (RuleFileException e) {
            spec.commandLine().getErr().println("audit-coverage: " + e.getMessage());
            return 2;
        }
        var md = CoverageReport.markdown(loaded, detection);
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(out, md);
            System.out.println("audit-policy coverage: " + out);
        }
        return 0;
    }
}
