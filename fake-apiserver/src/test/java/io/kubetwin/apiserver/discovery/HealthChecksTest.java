package io.kubetwin.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubetwin.apiserver.testing.Golden;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bodies of /healthz, /livez and /readyz against kube-apiserver v1.34.4's, recorded on a real etcd
 * ({@code golden/health/}; the failing ones with etcd stopped), with KMS and automatic reload at the places the
 * reference lists them.
 */
class HealthChecksTest {
    private static final HealthChecks ON_ETCD = new HealthChecks(() -> null, null, false);
    private static final HealthChecks ETCD_DOWN =
            new HealthChecks(() -> "error getting data from etcd: context deadline exceeded", null, false);

    @ParameterizedTest
    @ValueSource(strings = {"healthz", "livez", "readyz"})
    void verboseListsEveryCheckAsTheReference(String endpoint) {
        assertEquals(
                new HealthChecks.Answer(200, Golden.text("health/" + endpoint + "-verbose.txt")),
                ON_ETCD.root(endpoint, List.of(), true));
        assertEquals(new HealthChecks.Answer(200, "ok"), ON_ETCD.root(endpoint, List.of(), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"healthz", "livez", "readyz"})
    void aFailedCheckListsEveryCheckWithA500(String endpoint) {
        assertEquals(
                new HealthChecks.Answer(500, Golden.text("health/" + endpoint + "-etcd-down.txt")),
                ETCD_DOWN.root(endpoint, List.of(), false));
    }

    @ParameterizedTest
    @CsvSource({"healthz,etcd", "readyz,etcd-readiness", "livez,etcd"})
    void oneCheckAnswersItsError(String endpoint, String name) {
        HealthChecks.Check check = ETCD_DOWN.checks(endpoint).stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
        assertEquals(
                new HealthChecks.Answer(
                        500, "internal server error: error getting data from etcd: context deadline exceeded\n"),
                HealthChecks.single(check));
    }

    /** Recorded: /readyz?verbose&exclude=etcd&exclude=foo&exclude=log, and /readyz?exclude=etcd&exclude=etcd-readiness. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void excludedChecksAreNotRunAndUnknownNamesAreWarned(boolean etcdDown) {
        HealthChecks checks = etcdDown ? ETCD_DOWN : ON_ETCD;
        String expected = Golden.text("health/readyz-verbose.txt")
                .replace("[+]log ok", "[+]log excluded: ok")
                .replace("[+]etcd ok", "[+]etcd excluded: ok")
                .replace(
                        "readyz check passed",
                        "warn: some health checks cannot be excluded: no matches for \"foo\"\n" + "readyz check passed")
                .replace("\n\n", "\n");
        if (!etcdDown) {
            assertEquals(
                    new HealthChecks.Answer(200, expected), checks.root("readyz", Set.of("etcd", "foo", "log"), true));
        }
        assertEquals(
                new HealthChecks.Answer(200, "ok"), checks.root("readyz", Set.of("etcd", "etcd-readiness"), false));
    }

    /** Recorded with aescbc and --encryption-provider-config-automatic-reload (no KMS plugin: the check passes). */
    @ParameterizedTest
    @CsvSource({
        "healthz,3,kms-providers",
        "healthz,4,poststarthook/start-encryption-provider-config-automatic-reload",
        "readyz,4,kms-providers",
        "readyz,5,informer-sync",
        "readyz,6,poststarthook/start-encryption-provider-config-automatic-reload",
        "livez,3,poststarthook/start-encryption-provider-config-automatic-reload"
    })
    void automaticReloadAddsItsCheckAndHook(String endpoint, int index, String name) {
        HealthChecks reload = new HealthChecks(() -> null, () -> null, true);
        assertEquals(name, reload.checks(endpoint).get(index).name());
        assertEquals(
                ON_ETCD.checks(endpoint).size() + (endpoint.equals("livez") ? 1 : 2),
                reload.checks(endpoint).size());
    }
}
