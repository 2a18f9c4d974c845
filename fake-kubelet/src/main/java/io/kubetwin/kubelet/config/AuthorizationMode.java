package io.kubetwin.kubelet.config;

/** {@code --authorization-mode} / {@code authorization.mode}: the kubelet accepts exactly these two. */
public enum AuthorizationMode {
    ALWAYS_ALLOW("AlwaysAllow"),
    WEBHOOK("Webhook");

    private final String wireName;

    AuthorizationMode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AuthorizationMode parse(String value) {
        for (AuthorizationMode m : values()) {
            if (m.wireName.equals(value)) {
                return m;
            }
        }
        // cmd/kubelet/app/auth.go BuildAuthz's default case (from memory; not re-read at v1.34.4)
        throw new IllegalArgumentException("unknown authorization mode " + value);
    }
}
