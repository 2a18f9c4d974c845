package io.kubetwin.apiserver.admission.policy;

import com.google.common.net.InetAddresses;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ip, cidr and url functions of the Kubernetes CEL library (k8s.io/apiserver/pkg/cel/library/ip.go,
 * cidr.go, urls.go): literal addresses only (never a DNS lookup), IPv4-mapped IPv6 addresses and zones
 * refused as upstream refuses them.
 */
final class NetworkLibrary {
    private NetworkLibrary() {}

    static final OpaqueType IP = OpaqueType.create("net.IP");
    static final OpaqueType CIDR = OpaqueType.create("net.CIDR");
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");

    record Ip(InetAddress address) {
        int family() {
            return address instanceof Inet4Address ? 4 : 6;
        }

        BigInteger bits() {
            return new BigInteger(1, address.getAddress());
        }

        @Override
        public String toString() {
            return InetAddresses.toAddrString(address);
        }
    }

    record Cidr(Ip ip, int prefixLength) {
        int width() {
            return ip.family() == 4 ? 32 : 128;
        }

        Ip masked() {
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(width())
                    .subtract(BigInteger.ONE)
                    .shiftRight(prefixLength)
                    .not();
            byte[] raw = ip.bits().and(mask).toByteArray();
            byte[] out = new byte[width() / 8];
            for (int i = 0; i < out.length && i < raw.length; i++) {
                out[out.length - 1 - i] = raw[raw.length - 1 - i];
            }
            try {
                return new Ip(InetAddress.getByAddress(out));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean contains(Ip other) {
            return other.family() == ip.family()
                    && new Cidr(other, prefixLength).masked().equals(masked());
        }

        @Override
        public String toString() {
            return ip + "/" + prefixLength;
        }
    }

    record Url(URI uri) {}

    static List<CelFunctionDecl> declarations() {
        CelType s = SimpleType.STRING;
        CelType b = SimpleType.BOOL;
        return List.of(
                fn("ip", CelOverloadDecl.newGlobalOverload("string_to_ip", IP, s)),
                fn("isIP", CelOverloadDecl.newGlobalOverload("is_ip", b, s)),
                fn("family", CelOverloadDecl.newMemberOverload("ip_family", SimpleType.INT, IP)),
                fn("isUnspecified", CelOverloadDecl.newMemberOverload("ip_is_unspecified", b, IP)),
                fn("isLoopback", CelOverloadDecl.newMemberOverload("ip_is_loopback", b, IP)),
                fn("isLinkLocalMulticast", CelOverloadDecl.newMemberOverload("ip_is_link_local_multicast", b, IP)),
                fn("isLinkLocalUnicast", CelOverloadDecl.newMemberOverload("ip_is_link_local_unicast", b, IP)),
                fn("isGlobalUnicast", CelOverloadDecl.newMemberOverload("ip_is_global_unicast", b, IP)),
                fn("cidr", CelOverloadDecl.newGlobalOverload("string_to_cidr", CIDR, s)),
                fn("isCIDR", CelOverloadDecl.newGlobalOverload("is_cidr", b, s)),
                CelFunctionDecl.newFunctionDeclaration(
                        "containsIP",
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_string", b, CIDR, s),
                        CelOverloadDecl.newMemberOverload("cidr_contains_ip_ip", b, CIDR, IP)),
                CelFunctionDecl.newFunctionDeclaration(
                        "containsCIDR",
                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr_string", b, CIDR, s),
                        CelOverloadDecl.newMemberOverload("cidr_contains_cidr", b, CIDR, CIDR)),
                fn("masked", CelOverloadDecl.newMemberOverload("cidr_masked", CIDR, CIDR)),
                fn("prefixLength", CelOverloadDecl.newMemberOverload("cidr_prefix_length", SimpleType.INT, CIDR)),
                CelFunctionDecl.newFunctionDeclaration(
                        "string",
                        CelOverloadDecl.newGlobalOverload("ip_to_string", s, IP),
                        CelOverloadDecl.newGlobalOverload("cidr_to_string", s, CIDR)),
                fn("url", CelOverloadDecl.newGlobalOverload("string_to_url", URL, s)),
                fn("isURL", CelOverloadDecl.newGlobalOverload("is_url_string", b, s)),
                fn("getScheme", CelOverloadDecl.newMemberOverload("url_get_scheme", s, URL)),
                fn("getHost", CelOverloadDecl.newMemberOverload("url_get_host", s, URL)),
                fn("getHostname", CelOverloadDecl.newMemberOverload("url_get_hostname", s, URL)),
                fn("getPort", CelOverloadDecl.newMemberOverload("url_get_port", s, URL)),
                fn("getEscapedPath", CelOverloadDecl.newMemberOverload("url_get_escaped_path", s, URL)),
                fn(
                        "getQuery",
                        CelOverloadDecl.newMemberOverload(
                                "url_get_query", MapType.create(s, ListType.create(s)), URL)));
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl overload) {
        return CelFunctionDecl.newFunctionDeclaration(name, overload);
    }

    static List<CelFunctionBinding> bindings() {
        return List.of(
                CelFunctionBinding.from("string_to_ip", String.class, NetworkLibrary::ip),
                CelFunctionBinding.from("is_ip", String.class, v -> parseIp(v) != null),
                CelFunctionBinding.from("ip_family", Ip.class, ip -> (long) ip.family()),
                CelFunctionBinding.from(
                        "ip_is_unspecified", Ip.class, ip -> ip.address().isAnyLocalAddress()),
                CelFunctionBinding.from(
                        "ip_is_loopback", Ip.class, ip -> ip.address().isLoopbackAddress()),
                CelFunctionBinding.from("ip_is_link_local_multicast", Ip.class, NetworkLibrary::linkLocalMulticast),
                CelFunctionBinding.from(
                        "ip_is_link_local_unicast", Ip.class, ip -> ip.address().isLinkLocalAddress()),
                CelFunctionBinding.from("ip_is_global_unicast", Ip.class, NetworkLibrary::globalUnicast),
                CelFunctionBinding.from("string_to_cidr", String.class, NetworkLibrary::cidr),
                CelFunctionBinding.from("is_cidr", String.class, v -> parseCidr(v) != null),
                CelFunctionBinding.from(
                        "cidr_contains_ip_string",
                        Cidr.class,
                        String.class,
                        (Cidr c, String v) -> c.contains((Ip) ip(v))),
                CelFunctionBinding.from("cidr_contains_ip_ip", Cidr.class, Ip.class, (Cidr c, Ip v) -> c.contains(v)),
                CelFunctionBinding.from(
                        "cidr_contains_cidr_string",
                        Cidr.class,
                        String.class,
                        (Cidr c, String v) -> containsCidr(c, (Cidr) cidr(v))),
                CelFunctionBinding.from(
                        "cidr_contains_cidr", Cidr.class, Cidr.class, (Cidr c, Cidr v) -> containsCidr(c, v)),
                CelFunctionBinding.from("cidr_masked", Cidr.class, c -> new Cidr(c.masked(), c.prefixLength())),
                CelFunctionBinding.from("cidr_prefix_length", Cidr.class, c -> (long) c.prefixLength()),
                CelFunctionBinding.from("ip_to_string", Ip.class, Ip::toString),
                CelFunctionBinding.from("cidr_to_string", Cidr.class, Cidr::toString),
                CelFunctionBinding.from("string_to_url", String.class, NetworkLibrary::url),
                CelFunctionBinding.from("is_url_string", String.class, v -> parseUrl(v) != null),
                CelFunctionBinding.from(
                        "url_get_scheme", Url.class, u -> nz(u.uri().getScheme())),
                CelFunctionBinding.from(
                        "url_get_host",
                        Url.class,
                        u -> nz(u.uri().getRawAuthority()).replaceFirst("^.*@", "")),
                CelFunctionBinding.from("url_get_hostname", Url.class, NetworkLibrary::hostname),
                CelFunctionBinding.from(
                        "url_get_port",
                        Url.class,
                        u -> u.uri().getPort() < 0 ? "" : String.valueOf(u.uri().getPort())),
                CelFunctionBinding.from(
                        "url_get_escaped_path", Url.class, u -> nz(u.uri().getRawPath())),
                CelFunctionBinding.from("url_get_query", Url.class, NetworkLibrary::query));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static Ip parseIp(String text) {
        if (text.contains("%") || !InetAddresses.isInetAddress(text)) {
            return null;
        }
        InetAddress address = InetAddresses.forString(text);
        if (address instanceof Inet4Address && text.contains(":")) {
            return null; // an IPv4-mapped IPv6 address (Guava answers the IPv4 one): refused as upstream
        }
        return new Ip(address);
    }

    private static Object ip(String text) throws CelEvaluationException {
        Ip ip = parseIp(text);
        if (ip == null) {
            throw new CelEvaluationException(
                    "IP Address " + quote(text) + " parse error during conversion from string");
        }
        return ip;
    }

    static Cidr parseCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return null;
        }
        Ip ip = parseIp(text.substring(0, slash));
        String bits = text.substring(slash + 1);
        if (ip == null || !bits.matches("0|[1-9][0-9]{0,2}")) {
            return null;
        }
        int length = Integer.parseInt(bits);
        return length > (ip.family() == 4 ? 32 : 128) ? null : new Cidr(ip, length);
    }

    private static Object cidr(String text) throws CelEvaluationException {
        Cidr c = parseCidr(text);
        if (c == null) {
            throw new CelEvaluationException("network address parse error during conversion from string: "
                    + "network address parse error during conversion from string: netip.ParsePrefix(" + quote(text)
                    + "): invalid prefix");
        }
        return c;
    }

    private static boolean containsCidr(Cidr outer, Cidr inner) {
        return inner.prefixLength() >= outer.prefixLength() && outer.contains(inner.ip());
    }

    private static boolean linkLocalMulticast(Ip ip) {
        byte[] a = ip.address().getAddress();
        return ip.family() == 4
                ? (a[0] & 0xff) == 224 && a[1] == 0 && a[2] == 0
                : (a[0] & 0xff) == 0xff && (a[1] & 0x0f) == 0x02;
    }

    /** netip.Addr.IsGlobalUnicast: not unspecified, loopback, multicast, link-local or the IPv4 broadcast. */
    private static boolean globalUnicast(Ip ip) {
        InetAddress a = ip.address();
        if (ip.family() == 4 && ip.toString().equals("255.255.255.255")) {
            return false;
        }
        return !a.isAnyLocalAddress() && !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isLinkLocalAddress();
    }

    static Url parseUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() || text.startsWith("/") ? new Url(uri) : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Object url(String text) throws CelEvaluationException {
        Url u = parseUrl(text);
        if (u == null) {
            throw new CelEvaluationException("URL must be an absolute URI or an absolute path");
        }
        return u;
    }

    private static String hostname(Url u) {
        String host = nz(u.uri().getHost());
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Map<String, List<String>> query(Url u) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String q = u.uri().getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("[&]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
