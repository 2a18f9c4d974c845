package io.kubetwin.apiserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Image references as distribution/reference's ParseNormalizedNamed reads them (its normalize_test.go cases). */
class ImageReferenceTest {
    private static final String D = "sha256:" + "a".repeat(64);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            nginx                              | docker.io                   | library/nginx | ''     | ''
            nginx:latest                       | docker.io                   | library/nginx | latest | ''
            library/nginx                      | docker.io                   | library/nginx | ''     | ''
            index.docker.io/nginx              | docker.io                   | library/nginx | ''     | ''
            myregistry/app                     | docker.io                   | myregistry/app | ''    | ''
            myregistry.io                      | docker.io                   | library/myregistry.io | '' | ''
            localhost/app                      | localhost                   | app           | ''     | ''
            localhost:5000/app:v1              | localhost:5000              | app           | v1     | ''
            myregistry.io/team/app:1.0         | myregistry.io               | team/app      | 1.0    | ''
            myregistry.io.malicious.com/app    | myregistry.io.malicious.com | app           | ''     | ''
            MyRegistry.io/app                  | MyRegistry.io               | app           | ''     | ''
            Docker/app                         | Docker                      | app           | ''     | ''
            [::1]:5000/app                     | [::1]:5000                  | app           | ''     | ''
            myregistry.io/app:1.0@DIGEST       | myregistry.io               | app           | 1.0    | DIGEST
            myregistry.io/app@DIGEST           | myregistry.io               | app           | ''     | DIGEST
            """)
    void parsesAsTheRuntime(String image, String domain, String path, String tag, String digest) {
        ImageReference ref = ImageReference.parse(image.replace("DIGEST", D));
        assertEquals(new ImageReference(domain, path, tag, digest.replace("DIGEST", D)), ref);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            myregistry.io@evil/app              | invalid reference format
            myregistry.io:443.evil.com/app      | invalid reference format
            myregistry.io/App                   | invalid reference format: repository name (App) must be lowercase
            NGINX                               | invalid reference format: repository name (library/NGINX) must be lowercase
            myregistry.io/app@sha256:abc        | invalid reference format
            myregistry.io/app@sha256:0123456789012345678901234567890123456789 | invalid checksum digest length
            myregistry.io/app@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm
            myregistry.io/app:                  | invalid reference format
            """)
    void refusesWhatTheRuntimeRefuses(String image, String message) {
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(image))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            MyRegistry.IO:443/app | myregistry.io | 443
            [::1]:5000/app        | [::1]         | 5000
            """)
    void hostAndPort(String image, String host, int port) {
        ImageReference ref = ImageReference.parse(image);
        assertEquals(host, ref.host());
        assertEquals(port, ref.port().orElseThrow());
    }
}
