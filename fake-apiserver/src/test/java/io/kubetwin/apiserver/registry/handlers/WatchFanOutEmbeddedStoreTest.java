package io.kubetwin.apiserver.registry.handlers;

import io.kubetwin.apiserver.server.StorageOptions;
import io.kubetwin.apiserver.testing.TestApiServer;
import io.kubetwin.client.ApiClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link WatchFanOutTest}'s watches over the embedded etcd store, whose watch cache shares its decoded objects. */
class WatchFanOutEmbeddedStoreTest extends WatchFanOutTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestApiServer embedded = TestApiServer.builder()
            .config(b -> b.storage(StorageOptions.embedded(dir.resolve("data"))))
            .build();

    @Override
    ApiClient admin() {
        return embedded.admin();
    }
}
