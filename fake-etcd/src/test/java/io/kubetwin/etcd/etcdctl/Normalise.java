package io.kubetwin.etcd.etcdctl;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What legitimately differs between two fresh members given the same commands, replaced by placeholders
 * before the fake's output is compared with real etcd's. Each rule says why it may differ.
 */
final class Normalise {
    record Rule(Pattern pattern, String replacement, String why) {}

    static final List<Rule> RULES = List.of(
            // Lease ids are etcd's request ids: the member id's low bits then the start-up time in milliseconds.
            new Rule(Pattern.compile("lease [0-9a-f]{16}"), "lease <lease-id>", "lease ids embed the start time"),
            new Rule(Pattern.compile("(?m)^[0-9a-f]{16}$"), "<lease-id>", "lease list prints bare lease ids"),
            new Rule(
                    Pattern.compile("remaining\\(\\d+s\\)"),
                    "remaining(<ttl>s)",
                    "the remaining TTL depends on timing"),
            // The database file: bbolt's pages against SQLite's (sizes, the share in use).
            new Rule(
                    Pattern.compile("\"(dbSize|dbSizeInUse)\":\\d+"),
                    "\"$1\":<bytes>",
                    "bbolt and SQLite files differ in size"),
            new Rule(
                    Pattern.compile("\\d+(\\.\\d+)? [kMG]?B, \\d+(\\.\\d+)? [kMG]?B, \\d+%"),
                    "<db size>, <in use>, <free>%",
                    "bbolt and SQLite files differ in size"),
            // The raft log also holds entries the fake has no reason to write (conf changes, the election).
            new Rule(
                    Pattern.compile("\"(raftIndex|raftAppliedIndex)\":\\d+"),
                    "\"$1\":<index>",
                    "raft entries that are not writes"),
            new Rule(
                    Pattern.compile("(true|false), (true|false), 2, \\d+, \\d+,"),
                    "$1, $2, 2, <index>, <index>,",
                    "raft entries that are not writes"),
            // Timings.
            new Rule(Pattern.compile("took = [0-9.]+[µnm]?s"), "took = <duration>", "timing"),
            new Rule(Pattern.compile("\"took\":\"[0-9.]+[µnm]?s\""), "\"took\":\"<duration>\"", "timing"),
            new Rule(Pattern.compile("\"ts\":\"[^\"]+\""), "\"ts\":\"<ts>\"", "timing"),
            // A refused handshake: whether the client reads the server's TLS alert or fails writing on the closed
            // connection first is a race, with real etcd too (GrpcTlsTest checks the alerts themselves).
            new Rule(
                    Pattern.compile("latest balancer error: [^}]*\"\\}"),
                    "latest balancer error: <refused handshake>\"}",
                    "a race in the client"),
            // The address of the client's resolver object in its log lines.
            new Rule(Pattern.compile("etcd-endpoints://0x[0-9a-f]+"), "etcd-endpoints://<ptr>", "a Go pointer"));

    private Normalise() {}

    static String apply(String s) {
        String out = s;
        for (Rule r : RULES) {
            out = r.pattern().matcher(out).replaceAll(r.replacement());
        }
        return out;
    }
}
