package io.kubetwin.auth.authn;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The results of {@link X509Authenticator} for the peer chains it has seen, so that a client's certificate is
 * verified once rather than on every request of every connection (chain verification, subject parsing and the
 * SHA-256 of the leaf were a fifth of a GET). A result depends only on the chain, the client CA bundle and the
 * time, and the time only through the certificates' validity periods; so a result is kept with the bundle it was
 * computed against and the period in which every certificate involved is valid, and reused only for an equal
 * bundle inside that period. A result computed outside that period (an expired or not-yet-valid certificate,
 * whose message quotes the current time) is never kept. Failures are kept like successes: an untrusted
 * certificate gets the same 401 on every request. Bounded: cleared when full. Thread-safe.
 */
final class X509ResultCache {
    private static final int MAX_ENTRIES = 4096;

    private record Entry(List<X509Certificate> roots, Instant from, Instant until, AuthenticationResult result) {}

    private final Map<List<X509Certificate>, Entry> entries = new ConcurrentHashMap<>();

    /** The kept result for {@code chain} against {@code roots} at {@code now}, or null. */
    AuthenticationResult get(List<X509Certificate> chain, List<X509Certificate> roots, Instant now) {
        Entry e = entries.get(chain);
        if (e == null
                || (e.roots() != roots && !e.roots().equals(roots))
                || now.isBefore(e.from())
                || now.isAfter(e.until())) {
            return null;
        }
        return e.result();
    }

    /** Keeps {@code result} when {@code now} lies in every certificate's validity period (see the class comment). */
    void put(List<X509Certificate> chain, List<X509Certificate> roots, Instant now, AuthenticationResult result) {
        Instant from = Instant.MIN;
        Instant until = Instant.MAX;
        for (List<X509Certificate> certs : List.of(chain, roots)) {
            for (X509Certificate c : certs) {
                Instant notBefore = c.getNotBefore().toInstant();
                Instant notAfter = c.getNotAfter().toInstant();
                from = notBefore.isAfter(from) ? notBefore : from;
                until = notAfter.isBefore(until) ? notAfter : until;
            }
        }
        if (now.isBefore(from) || now.isAfter(until)) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(List.copyOf(chain), new Entry(List.copyOf(roots), from, until, result));
    }
}
