package io.kubetwin.scan.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kubetwin scan audit-coverage --policy FILE|seed:NAME ...}: the coverage report of the starter rules. */
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
        var md = CoverageReport.markdown(loaded, StarterRules.all());
        if (out == null) {
            System.out.print(md);
        } else {
            Files.writeString(out, md);
            System.out.println("audit-policy coverage: " + out);
        }
        return 0;
    }
}
