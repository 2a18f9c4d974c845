package io.kubetwin.apiserver.storage.encryption;

/**
 * A group and resource as the configuration names them ({@code secrets}, {@code deployments.apps}, {@code *.},
 * {@code *.apps}, {@code *.*}), parsed as schema.ParseGroupResource does: everything after the first dot is the
 * group.
 */
record GroupResource(String group, String resource) {
    /** {@code *.*}: every resource of every group. */
    static final GroupResource ANY = new GroupResource("*", "*");

    static GroupResource parse(String s) {
        int dot = s.indexOf('.');
        return dot < 0 ? new GroupResource("", s) : new GroupResource(s.substring(dot + 1), s.substring(0, dot));
    }

    /** Every resource of this group ({@code *.<group>}). */
    GroupResource anyInGroup() {
        return new GroupResource(group, "*");
    }

    /** How the configuration file spells it (grYAMLString): {@code *.} for the core wildcard. */
    String yaml() {
        if (group.isEmpty() && resource.equals("*")) {
            return "*.";
        }
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
