package io.kubetwin.apiserver.server;

import io.kubetwin.client.ApiClient;
import io.kubetwin.pki.Credential;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Records the reference's events for {@link AuditScript}: run by {@code src/test/scripts/audit-e2e-reference.sh}
 * against a kube-apiserver started by {@code audit-reference.sh WORKDIR --audit-log-path=WORKDIR/audit.log ...}.
 * Arguments: WORKDIR OUTPUT; writes the script's events (by audit ID prefix) from WORKDIR/audit.log to OUTPUT
 * and prints the status of each step.
 */
public final class AuditReferenceRecorder {
    private AuditReferenceRecorder() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path pki = work.resolve("pki");
        String port = Files.readAllLines(work.resolve("env")).stream()
                .filter(l -> l.startsWith("PORT="))
                .findFirst()
                .orElseThrow()
                .substring(5);
        String url = "https://127.0.0.1:" + port;
        X509Certificate ca =
                Credential.load(pki.resolve("ca.crt"), pki.resolve("ca.key")).certificate();
        Map<String, Integer> codes = AuditScript.run(as -> switch (as) {
            case "anonymous" -> ApiClient.anonymous(url, ca);
            case "admin", "alice" -> {
                Credential c = credential(pki, as);
                yield ApiClient.withCertificate(url, ca, c.certificate(), c.privateKey());
            }
            default -> ApiClient.withToken(url, ca, as.substring("token:".length()));
        });
        codes.forEach((id, code) -> System.out.println(id + " " + code));
        Thread.sleep(1000);
        List<String> lines = Files.readAllLines(work.resolve("audit.log")).stream()
                .filter(l -> l.contains("\"auditID\":\"" + AuditScript.PREFIX))
                .toList();
        Files.write(Path.of(args[1]), lines);
        System.out.println(lines.size() + " events written to " + args[1]);
    }

    private static Credential credential(Path pki, String name) {
        try {
            return Credential.load(pki.resolve(name + ".crt"), pki.resolve(name + ".key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
