package io.kubetwin.bench.target;

import io.kubetwin.apiserver.server.ApiServerConfig;
import io.kubetwin.apiserver.server.FakeApiServer;
import io.kubetwin.bench.report.Report;
import java.io.IOException;
import java.nio.file.Path;

/** The fake apiserver in this JVM through {@link FakeApiServer#startBlocking}, RBAC on, with the bench CA. */
public final class FakeJvmTarget implements Target {
    private final FakeApiServer server;

    private FakeJvmTarget(FakeApiServer server) {
        this.server = server;
    }

    public static FakeJvmTarget start(BenchPki pki, Path dir, AuditLevel audit) throws IOException {
        ApiServerConfig.Builder config = ApiServerConfig.builder()
                .certDir(pki.fakeCertDir(dir.resolve("pki")))
                .authorizationModes(java.util.List.of("RBAC"));
        if (audit.on()) {
            config.auditPolicyFile(audit.policyFile(dir))
                    .auditLogPath(dir.resolve("audit.log").toString());
        }
        return new FakeJvmTarget(FakeApiServer.startBlocking(config.build()));
    }

    @Override
    public String name() {
        return Report.FAKE_JVM;
    }

    @Override
    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }
}
