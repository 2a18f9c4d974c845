package io.kubetwin.apiserver.authn.serviceaccount;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * The service-account issuer's OpenID Connect discovery document and key set
 * (pkg/serviceaccount/openidmetadata.go), from which relying parties outside the cluster verify its tokens.
 * kube-apiserver serves them only for an issuer that is an https URL without query or fragment; the JWKS
 * URI is {@code https://EXTERNAL-ADDRESS/openid/v1/jwks}. Keys are written in go-jose's field order.
 */
public final class IssuerMetadata {
    public static final String CONFIG_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/openid/v1/jwks";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode config;
    private final ObjectNode keySet;

    private IssuerMetadata(ObjectNode config, ObjectNode keySet) {
        this.config = config;
        this.keySet = keySet;
    }

    /**
     * Whether kube-apiserver installs the endpoints for this issuer: NewOpenIDMetadataProvider fails (logged,
     * endpoints skipped) unless it is an https URL without query or fragment.
     */
    public static boolean servable(String issuer, List<PublicKey> keys) {
        if (issuer == null || issuer.isEmpty() || keys.isEmpty()) {
            return false;
        }
        try {
            URI uri = new URI(issuer);
            return "https".equals(uri.getScheme()) && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The documents of a {@link #servable} issuer. */
    public static IssuerMetadata of(String issuer, String externalAddress, List<PublicKey> keys) {
        if (!servable(issuer, keys)) {
            throw new IllegalArgumentException("no issuer discovery for " + issuer);
        }
        ObjectNode keySet = JSON.objectNode();
        ArrayNode jwks = keySet.putArray("keys");
        TreeSet<String> algorithms = new TreeSet<>();
        for (PublicKey key : keys) {
            ObjectNode jwk = jwk(key);
            algorithms.add(jwk.path("alg").asText());
            jwks.add(jwk);
        }
        ObjectNode config = JSON.objectNode();
        config.put("issuer", issuer);
        config.put("jwks_uri", "https://" + externalAddress + JWKS_PATH);
        config.putArray("response_types_supported").add("id_token");
        config.putArray("subject_types_supported").add("public");
        ArrayNode algs = config.putArray("id_token_signing_alg_values_supported");
        algorithms.forEach(algs::add);
        return new IssuerMetadata(config, keySet);
    }

    public ObjectNode config() {
        return config.deepCopy();
    }

    public ObjectNode keySet() {
        return keySet.deepCopy();
    }

    private static ObjectNode jwk(PublicKey key) {
        ObjectNode jwk = JSON.objectNode();
        jwk.put("use", "sig");
        if (key instanceof RSAPublicKey rsa) {
            jwk.put("kty", "RSA");
            jwk.put("kid", ServiceAccountKeys.keyId(key));
            jwk.put("alg", "RS256");
            jwk.put("n", base64(unsigned(rsa.getModulus(), 0)));
            jwk.put("e", base64(unsigned(rsa.getPublicExponent(), 0)));
            return jwk;
        }
        ECPublicKey ec = (ECPublicKey) key;
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        jwk.put("kty", "EC");
        jwk.put("kid", ServiceAccountKeys.keyId(key));
        jwk.put(
                "crv",
                switch (bits) {
                    case 256 -> "P-256";
                    case 384 -> "P-384";
                    default -> "P-521";
                });
        jwk.put(
                "alg",
                switch (bits) {
                    case 256 -> "ES256";
                    case 384 -> "ES384";
                    default -> "ES512";
                });
        int size = (bits + 7) / 8;
        jwk.put("x", base64(unsigned(ec.getW().getAffineX(), size)));
        jwk.put("y", base64(unsigned(ec.getW().getAffineY(), size)));
        return jwk;
    }

    /** Big-endian magnitude, left-padded with zeros to {@code size} bytes (0: no padding). */
    private static byte[] unsigned(BigInteger value, int size) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (bytes.length >= size) {
            return bytes;
        }
        byte[] padded = new byte[size];
        System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
        return padded;
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
