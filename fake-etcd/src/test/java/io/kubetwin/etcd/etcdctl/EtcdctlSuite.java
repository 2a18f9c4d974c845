package io.kubetwin.etcd.etcdctl;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The etcdctl suite: the same commands, in the same order, against a fresh member (the fake or the real etcd),
 * so that revisions line up. Each step is named; {@link #run} returns every step's result in order.
 */
final class EtcdctlSuite {
    private static final Pattern GRANTED = Pattern.compile("lease ([0-9a-f]+) granted");

    /** The TLS material: the trusted CA, the client certificate, one from another CA, the server certificate. */
    record Creds(Path ca, Path cert, Path key, Path otherCert, Path otherKey, Path serverCert, Path serverKey) {
        /** Fresh test certificates in {@code dir}. */
        static Creds create(Path dir) {
            Path[] c = io.kubetwin.etcd.server.TestCertsAccess.create(dir);
            return new Creds(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        }
    }

    private EtcdctlSuite() {}

    /** A free 127.0.0.1 port, for members that are given fixed URLs. */
    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The flags of one member over mTLS (client and peer certificates required), the same for the fake and for the
     * real etcd.
     */
    static List<String> memberFlags(Path dataDir, int clientPort, int peerPort, Creds creds) {
        String client = "https://127.0.0.1:" + clientPort;
        String peer = "https://127.0.0.1:" + peerPort;
        return List.of(
                "--name",
                "default",
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                client,
                "--advertise-client-urls",
                client,
                "--listen-peer-urls",
                peer,
                "--initial-advertise-peer-urls",
                peer,
                "--initial-cluster",
                "default=" + peer,
                "--cert-file",
                creds.serverCert().toString(),
                "--key-file",
                creds.serverKey().toString(),
                "--trusted-ca-file",
                creds.ca().toString(),
                "--client-cert-auth",
                "--peer-cert-file",
                creds.serverCert().toString(),
                "--peer-key-file",
                creds.serverKey().toString(),
                "--peer-trusted-ca-file",
                creds.ca().toString(),
                "--peer-client-cert-auth");
    }

    static Map<String, Etcdctl.Result> run(Path binary, String endpoint, Creds c) {
        Etcdctl ctl = new Etcdctl(binary, endpoint, c.ca(), c.cert(), c.key());
        Map<String, Etcdctl.Result> r = new LinkedHashMap<>();
        r.put("get on an empty store", ctl.run(null, List.of("get", "foo", "-w", "json")));
        r.put("put", ctl.run(null, List.of("put", "foo", "bar"))); // rev 2
        r.put("put foo/a", ctl.run(null, List.of("put", "foo/a", "1"))); // 3
        r.put("put foo/b", ctl.run(null, List.of("put", "foo/b", "2"))); // 4
        r.put("put foo again, prev-kv", ctl.run(null, List.of("put", "foo", "baz", "--prev-kv"))); // 5
        r.put("get", ctl.run(null, List.of("get", "foo")));
        r.put("get --prefix", ctl.run(null, List.of("get", "foo", "--prefix")));
        r.put("get --prefix -w json", ctl.run(null, List.of("get", "foo", "--prefix", "-w", "json")));
        r.put(
                "get --prefix --limit 1 -w json",
                ctl.run(null, List.of("get", "foo/", "--prefix", "--limit", "1", "-w", "json")));
        r.put("get --prefix --keys-only", ctl.run(null, List.of("get", "foo", "--prefix", "--keys-only")));
        r.put(
                "get --prefix --count-only -w json",
                ctl.run(null, List.of("get", "foo", "--prefix", "--count-only", "-w", "json")));
        r.put("get --from-key", ctl.run(null, List.of("get", "foo/a", "--from-key")));
        r.put(
                "get --prefix --sort-by=MODIFY --order=DESCEND",
                ctl.run(null, List.of("get", "foo", "--prefix", "--sort-by=MODIFY", "--order=DESCEND")));
        r.put("get --rev=2", ctl.run(null, List.of("get", "foo", "--rev=2")));
        r.put("get --rev=99 (future)", ctl.run(null, List.of("get", "foo", "--rev=99")));
        r.put("del", ctl.run(null, List.of("del", "foo/a"))); // 6
        r.put("del --prefix --prev-kv", ctl.run(null, List.of("del", "foo/", "--prefix", "--prev-kv"))); // 7
        r.put("del of a missing key", ctl.run(null, List.of("del", "nothing")));
        r.put(
                "txn succeeding",
                ctl.run("mod(\"foo\") = \"5\"\n\nput foo/txn yes\nget foo\n\nput foo/txn no\n\n", List.of("txn"))); // 8
        r.put(
                "txn failing",
                ctl.run(
                        "value(\"foo\") = \"nope\"\n\nput foo/txn yes\n\nget foo/txn\n\n",
                        List.of("txn", "-w", "json")));
        r.put("put with an empty key", ctl.run(null, List.of("put", "", "x")));
        // 7 events of 3 lines each (type, key, value; a DELETE's value is empty)
        r.put("watch --rev=1 --prefix (bounded)", ctl.run(null, List.of("watch", "foo", "--prefix", "--rev=1"), 21));
        r.put(
                "watch --rev=5 --prev-kv -w json (bounded)",
                ctl.run(null, List.of("watch", "foo", "--rev=5", "--prev-kv", "-w", "json"), 1));

        Etcdctl.Result grant = ctl.run(null, List.of("lease", "grant", "600"));
        r.put("lease grant", grant);
        Matcher m = GRANTED.matcher(grant.stdout());
        String lease = m.find() ? m.group(1) : "0";
        r.put("put --lease", ctl.run(null, List.of("put", "foo/leased", "v", "--lease=" + lease))); // 9
        r.put("lease timetolive --keys", ctl.run(null, List.of("lease", "timetolive", lease, "--keys")));
        r.put("lease keep-alive --once", ctl.run(null, List.of("lease", "keep-alive", "--once", lease)));
        r.put("lease list", ctl.run(null, List.of("lease", "list")));
        r.put("lease revoke", ctl.run(null, List.of("lease", "revoke", lease))); // 10
        r.put("get the leased key after revoke", ctl.run(null, List.of("get", "foo/leased", "-w", "json")));
        r.put("lease timetolive after revoke", ctl.run(null, List.of("lease", "timetolive", lease)));
        r.put("lease revoke again", ctl.run(null, List.of("lease", "revoke", lease)));
        r.put("put with an unknown lease", ctl.run(null, List.of("put", "foo/x", "v", "--lease=1234abcd")));
        r.put("lease grant of a too short TTL", ctl.run(null, List.of("lease", "grant", "1")));

        r.put("compact", ctl.run(null, List.of("compact", "5")));
        r.put("get a compacted revision", ctl.run(null, List.of("get", "foo", "--rev=3")));
        r.put("compact again", ctl.run(null, List.of("compact", "5")));
        r.put("watch a compacted revision", ctl.run(null, List.of("watch", "foo", "--rev=2")));
        r.put("get --rev at the compaction", ctl.run(null, List.of("get", "foo", "--rev=5")));

        r.put("endpoint status", ctl.run(null, List.of("endpoint", "status")));
        r.put("endpoint status -w json", ctl.run(null, List.of("endpoint", "status", "-w", "json")));
        r.put("endpoint health", ctl.run(null, List.of("endpoint", "health")));
        r.put("endpoint health -w json", ctl.run(null, List.of("endpoint", "health", "-w", "json")));
        r.put("member list", ctl.run(null, List.of("member", "list")));
        r.put("member list -w json", ctl.run(null, List.of("member", "list", "-w", "json")));
        r.put("alarm list", ctl.run(null, List.of("alarm", "list")));

        Etcdctl anonymous = new Etcdctl(binary, endpoint, c.ca(), null, null);
        r.put("refused without a client certificate", anonymous.run(null, List.of("get", "foo")));
        Etcdctl stranger = new Etcdctl(binary, endpoint, c.ca(), c.otherCert(), c.otherKey());
        r.put("refused with a certificate from another CA", stranger.run(null, List.of("get", "foo")));
        return r;
    }
}
