package io.kubetwin.apiserver.storage.encryption;

import io.kubetwin.apiserver.registry.validation.FieldError;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.Key;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.KmsConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ProviderConfiguration;
import io.kubetwin.apiserver.storage.encryption.EncryptionConfiguration.ResourceConfiguration;
import io.kubetwin.pki.GoDuration;
import io.kubetwin.pki.GoText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * kube-apiserver's validation of an EncryptionConfiguration at start-up, check for check and message for message
 * (k8s.io/apiserver/pkg/apis/apiserver/validation/validation_encryption.go, reload=false). Pure and stateless.
 */
final class EncryptionConfigValidation {
    static final String MORE_THAN_ONE_ELEMENT =
            "more than one provider specified in a single element, should split into different list elements";
    static final String NO_PROVIDER =
            "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity";
    static final List<Integer> AES_KEY_SIZES = List.of(16, 24, 32);
    static final List<Integer> SECRETBOX_KEY_SIZES = List.of(32);

    private EncryptionConfigValidation() {}

    /** Every problem, in upstream's order; empty when the configuration is valid. */
    static List<FieldError> validate(EncryptionConfiguration c) {
        List<FieldError> errs = new ArrayList<>();
        if (c.resources() == null || c.resources().isEmpty()) {
            errs.add(FieldError.required("resources", "at least one resources is required"));
            return errs;
        }
        Set<String> kmsNames = new HashSet<>();
        for (int i = 0; i < c.resources().size(); i++) {
            ResourceConfiguration conf = c.resources().get(i);
            String r = "resources[" + i + "].resources";
            String p = "resources[" + i + "].providers";
            List<String> resources = conf.resources() == null ? List.of() : conf.resources();
            if (resources.isEmpty()) {
                errs.add(FieldError.required(r, "at least one " + r + " is required"));
            }
            errs.addAll(resourceOverlap(conf.resources(), r));
            errs.addAll(resourceNames(resources, r));
            List<ProviderConfiguration> providers = conf.providers() == null ? List.of() : conf.providers();
            if (providers.isEmpty()) {
                errs.add(FieldError.required(p, "at least one " + p + " is required"));
            }
            for (int j = 0; j < providers.size(); j++) {
                ProviderConfiguration provider = providers.get(j);
                String path = p + "[" + j + "]";
                errs.addAll(singleProvider(provider, path));
                if (provider.kms() != null) {
                    errs.addAll(kms(provider.kms(), path + ".kms", kmsNames));
                    kmsNames.add(provider.kms().name());
                } else if (provider.aesgcm() != null) {
                    errs.addAll(keys(provider.aesgcm().keys(), path + ".aesgcm.keys", AES_KEY_SIZES));
                } else if (provider.aescbc() != null) {
                    errs.addAll(keys(provider.aescbc().keys(), path + ".aescbc.keys", AES_KEY_SIZES));
                } else if (provider.secretbox() != null) {
                    errs.addAll(keys(provider.secretbox().keys(), path + ".secretbox.keys", SECRETBOX_KEY_SIZES));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> resourceOverlap(List<String> resources, String path) {
        if (resources == null || resources.size() < 2) {
            return List.of();
        }
        List<GroupResource> parsed =
                resources.stream().map(GroupResource::parse).toList();
        boolean overlap = false;
        boolean duplicate = false;
        for (int i = 0; i < parsed.size(); i++) {
            for (int j = 0; j < parsed.size(); j++) {
                if (i == j) {
                    continue;
                }
                GroupResource r1 = parsed.get(i);
                GroupResource r2 = parsed.get(j);
                if (r1.equals(r2) && !duplicate) {
                    duplicate = true;
                    continue;
                }
                if (overlap) {
                    continue;
                }
                if (r1.equals(GroupResource.ANY)) {
                    overlap = true;
                    continue;
                }
                if (!r1.group().equals(r2.group())) {
                    continue;
                }
                if (r1.resource().equals("*") || r2.resource().equals("*")) {
                    overlap = true;
                }
            }
        }
        List<FieldError> errs = new ArrayList<>();
        if (duplicate) {
            errs.add(FieldError.invalid(
                    path, stringList(resources), "the same resource cannot be specified multiple times"));
        }
        if (overlap) {
            errs.add(
                    FieldError.invalid(
                            path,
                            stringList(resources),
                            "using overlapping resources such as 'secrets' and '*.' in the same resource list is not allowed as they will be masked"));
        }
        return errs;
    }

    private static List<FieldError> resourceNames(List<String> resources, String path) {
        List<FieldError> errs = new ArrayList<>();
        for (int j = 0; j < resources.size(); j++) {
            String res = resources.get(j);
            String jj = path + "[" + j + "]";
            GroupResource gr = GroupResource.parse(res);
            String detail = null;
            if (!res.toLowerCase(Locale.ROOT).equals(res)) {
                detail = "resource name should not contain capital letters";
            } else if (res.equals("*")) {
                detail = "use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources";
            } else if (res.equals("apiserveripinfo")
                    || res.equals("serviceipallocations")
                    || res.equals("servicenodeportallocations")) {
                detail = "resources which do not have REST API/s cannot be encrypted";
            } else if (gr.group().equals("events.k8s.io")) {
                detail =
                        "'*.events.k8s.io' objects are stored using the 'events' API group in etcd. Use 'events' instead in the config file";
            } else if (gr.group().equals("extensions")) {
                detail = "'extensions' group has been removed and cannot be used for encryption";
            } else if (gr.group().equals("*") && !gr.resource().equals("*")) {
                detail = "encrypting the same resource across groups is not supported";
            }
            if (detail != null) {
                errs.add(FieldError.invalid(jj, res, detail));
            }
        }
        return errs;
    }

    private static List<FieldError> singleProvider(ProviderConfiguration provider, String path) {
        int found = 0;
        for (Object o : new Object[] {
            provider.kms(), provider.aesgcm(), provider.aescbc(), provider.secretbox(), provider.identity()
        }) {
            if (o != null) {
                found++;
            }
        }
        if (found == 0) {
            return List.of(FieldError.invalid(path, goJson(provider), NO_PROVIDER));
        }
        if (found > 1) {
            return List.of(FieldError.invalid(path, goJson(provider), MORE_THAN_ONE_ELEMENT));
        }
        return List.of();
    }

    private static List<FieldError> keys(List<Key> keys, String path, List<Integer> sizes) {
        if (keys == null || keys.isEmpty()) {
            return List.of(FieldError.required(path, "at least one keys is required"));
        }
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            errs.addAll(key(keys.get(i), path + "[" + i + "]", sizes));
        }
        return errs;
    }

    private static List<FieldError> key(Key key, String path, List<Integer> sizes) {
        List<FieldError> errs = new ArrayList<>();
        if (key.name().isEmpty()) {
            errs.add(FieldError.required(path + ".name", "name is a mandatory field for a key"));
        }
        if (key.secret().isEmpty()) {
            errs.add(FieldError.required(path + ".secret", "secret is a mandatory field for a key"));
            return errs;
        }
        byte[] secret = GoBase64.decode(key.secret());
        if (secret == null) {
            errs.add(FieldError.invalid(path + ".secret", "REDACTED", "secrets must be base64 encoded"));
            return errs;
        }
        if (!sizes.contains(secret.length)) {
            errs.add(FieldError.invalid(
                    path + ".secret",
                    "REDACTED",
                    "secret is not of the expected length, got " + secret.length + ", expected one of "
                            + GoText.list(sizes.stream().map(String::valueOf).toList())));
        }
        return errs;
    }

    private static List<FieldError> kms(KmsConfiguration c, String path, Set<String> kmsNames) {
        List<FieldError> errs = new ArrayList<>();
        // validateKMSConfigName
        if (c.name().isEmpty()) {
            errs.add(FieldError.required(path + ".name", "name is a mandatory field for a provider"));
        }
        if (!c.apiVersion().equals("v1") && c.name().contains(":")) {
            errs.add(FieldError.invalid(
                    path + ".name", c.name(), "invalid KMS provider name " + c.name() + ", must not contain ':'"));
        }
        if (!c.apiVersion().equals("v1") && kmsNames.contains(c.name())) {
            errs.add(FieldError.invalid(
                    path + ".name", c.name(), "duplicate KMS provider name " + c.name() + ", names must be unique"));
        }
        // validateKMSTimeout
        if (c.timeout().isNegative() || c.timeout().isZero()) {
            errs.add(FieldError.invalid(
                    path + ".timeout", GoDuration.format(c.timeout()), "timeout should be a positive value"));
        }
        // validateKMSEndpoint
        if (c.endpoint().isEmpty()) {
            errs.add(FieldError.invalid(path + ".endpoint", "", "endpoint is a mandatory field for a kms"));
        } else {
            String scheme = urlScheme(c.endpoint());
            if (!scheme.equals("unix")) {
                errs.add(FieldError.invalid(
                        path + ".endpoint",
                        c.endpoint(),
                        "unsupported scheme " + GoText.quote(scheme) + " for KMS provider, only unix is supported"));
            }
        }
        // validateKMSCacheSize
        if (!c.apiVersion().equals("v1") && c.cacheSize() != null) {
            errs.add(FieldError.invalid(path + ".cachesize", c.cacheSize(), "cachesize is not supported in v2"));
        }
        if (c.apiVersion().equals("v1") && c.cacheSize() != null && c.cacheSize() == 0) {
            errs.add(FieldError.invalid(
                    path + ".cachesize",
                    c.cacheSize(),
                    "cachesize should be a positive value, or negative to disable"));
        }
        // validateKMSAPIVersion (upstream formats the field name, not the value, into the message)
        if (!c.apiVersion().equals("v1") && !c.apiVersion().equals("v2")) {
            errs.add(FieldError.invalid(
                    path + ".apiVersion",
                    c.apiVersion(),
                    "unsupported apiVersion apiVersion for KMS provider, only v1 and v2 are supported"));
        }
        return errs;
    }

    /** net/url's scheme: the letters before the first ':' when they form a scheme, "" otherwise. */
    private static String urlScheme(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (Character.isLetter(c) && c < 128) {
                continue;
            }
            if (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.')) {
                continue;
            }
            return c == ':' && i > 0 ? raw.substring(0, i).toLowerCase(Locale.ROOT) : "";
        }
        return "";
    }

    /** A []string, which field.Invalid prints as JSON. */
    private static Object stringList(List<String> values) {
        return List.copyOf(values);
    }

    /** The provider element as field.Invalid prints the internal Go struct: JSON with Go's field names. */
    private static Object goJson(ProviderConfiguration p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AESGCM", keysJson(p.aesgcm()));
        m.put("AESCBC", keysJson(p.aescbc()));
        m.put("Secretbox", keysJson(p.secretbox()));
        m.put("Identity", p.identity() == null ? null : Map.of());
        if (p.kms() == null) {
            m.put("KMS", null);
        } else {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("APIVersion", p.kms().apiVersion());
            k.put("Name", p.kms().name());
            k.put("CacheSize", p.kms().cacheSize());
            k.put("Endpoint", p.kms().endpoint());
            k.put("Timeout", GoDuration.format(p.kms().timeout()));
            m.put("KMS", k);
        }
        return m;
    }

    private static Object keysJson(EncryptionConfiguration.KeysConfiguration keys) {
        if (keys == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (keys.keys() == null) {
            m.put("Keys", null);
        } else {
            List<Object> list = new ArrayList<>();
            for (Key k : keys.keys()) {
                Map<String, Object> km = new LinkedHashMap<>();
                km.put("Name", k.name());
                km.put("Secret", k.secret());
                list.add(km);
            }
            m.put("Keys", list);
        }
        return m;
    }
}
