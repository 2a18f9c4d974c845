package io.kubetwin.junit;

import io.kubetwin.client.ApiClient;

/**
 * Provisions a service-account actor as the admin: the namespace and the service account when missing, then a
 * token from the TokenRequest API ({@code serviceaccounts/token}), valid for a day.
 */
final class ServiceAccountTokens {
    private ServiceAccountTokens() {}

    static String provision(ApiClient admin, String namespace, String name) {
        createIfMissing(
                admin,
                "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + namespace + "\"}}");
        createIfMissing(
                admin,
                "/api/v1/namespaces/" + namespace + "/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"" + name + "\"}}");
        ApiClient.Response r = admin.post(
                "/api/v1/namespaces/" + namespace + "/serviceaccounts/" + name + "/token",
                "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"TokenRequest\","
                        + "\"spec\":{\"expirationSeconds\":86400}}");
        if (r.code() != 201) {
            throw new IllegalStateException("requesting a token for service account " + namespace + "/" + name
                    + " failed: " + r.code() + " " + r.statusMessage().orElse(r.body()));
        }
        return r.json().path("status").path("token").asText();
    }

    /** 409 AlreadyExists is fine: the object was preloaded, or is a default one. */
    private static void createIfMissing(ApiClient admin, String collection, String json) {
        ApiClient.Response r = admin.post(collection, json);
        if (r.code() != 201 && r.code() != 409) {
            throw new IllegalStateException("creating " + json + " failed: " + r.code() + " "
                    + r.statusMessage().orElse(r.body()));
        }
    }
}
