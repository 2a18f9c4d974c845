package io.kubetwin.pki;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Shared test helpers: PKIX chain checks and an openssl runner. */
final class TestPki {
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private TestPki() {}

    /**
     * Validates {@code leaf} (plus intermediates) against {@code root} at {@code at} with java.security PKIX,
     * and requires the extended key usage {@code eku} when the certificate has an EKU extension, as Go's
     * verifier with KeyUsages does.
     */
    static void verify(
            X509Certificate leaf, List<X509Certificate> intermediates, X509Certificate root, String eku, Instant at)
            throws Exception {
        List<X509Certificate> path = new ArrayList<>();
        path.add(leaf);
        path.addAll(intermediates);
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        params.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(certPath, params);
        List<String> ekus = leaf.getExtendedKeyUsage();
        // Like Go: a certificate without extendedKeyUsage is good for any purpose.
        if (ekus != null && !ekus.contains(eku)) {
            throw new CertPathValidatorException("certificate specifies an incompatible key usage: " + ekus);
        }
    }

    static void verify(X509Certificate leaf, X509Certificate root, String eku) throws Exception {
        verify(leaf, List.of(), root, eku, Instant.now());
    }

    static boolean opensslAvailable() {
        try {
            Process p = new ProcessBuilder("openssl", "version")
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void assumeOpenssl() {
        assumeTrue(opensslAvailable(), "openssl is not installed");
    }

    /** Runs openssl in {@code dir}; returns stdout+stderr; fails on a non-zero exit. */
    static String openssl(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("openssl timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("openssl failed (" + p.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }
}
