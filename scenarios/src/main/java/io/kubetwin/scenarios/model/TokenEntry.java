package io.kubetwin.scenarios.model;

import java.util.List;

/**
 * One line of a static token file ({@code --token-auth-file}): {@code token,user,uid,"group1,group2"}.
 */
public record TokenEntry(String token, String user, String uid, List<String> groups) {
    public TokenEntry {
        groups = groups == null ? List.of() : List.copyOf(groups);
        uid = uid == null ? user : uid;
    }

    /** The CSV line kube-apiserver's tokenfile authenticator reads. */
    public String csvLine() {
        var line = token + "," + user + "," + uid;
        return groups.isEmpty() ? line : line + ",\"" + String.join(",", groups) + "\"";
    }
}
