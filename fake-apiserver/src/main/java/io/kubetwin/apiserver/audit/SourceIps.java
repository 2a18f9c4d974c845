package io.kubetwin.apiserver.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An event's {@code sourceIPs}, computed as SourceIPs in k8s.io/apimachinery/pkg/util/net/http.go: every
 * valid address of {@code X-Forwarded-For} (comma-separated, trimmed, invalid ones skipped), then
 * {@code X-Real-Ip} if valid and not already listed, then the connection's remote address unless it equals
 * the last entry. Addresses are parsed as k8s.io/utils/net ParseIPSloppy does (IPv4 parts may have leading
 * zeros, read as decimal) and printed as Go's net.IP does (IPv4-mapped IPv6 as IPv4, IPv6 compressed).
 * Only the last entry is trustworthy: the headers are the client's to set. Pure and thread-safe.
 */
public final class SourceIps {
    private SourceIps() {}

    /**
     * @param forwardedFor the first {@code X-Forwarded-For} header value, or null
     * @param realIp the first {@code X-Real-Ip} header value, or null
     * @param remoteAddress the peer's address (an IP, possibly {@code host:port} or {@code [v6]:port}), or null
     */
    public static List<String> of(String forwardedFor, String realIp, String remoteAddress) {
        List<byte[]> ips = new ArrayList<>();
        if (forwardedFor != null && !forwardedFor.isEmpty()) {
            for (String part : forwardedFor.split(",", -1)) {
                byte[] ip = parse(part.strip());
                if (ip != null) {
                    ips.add(ip);
                }
            }
        }
        if (realIp != null && !realIp.isEmpty()) {
            byte[] ip = parse(realIp);
            if (ip != null && ips.stream().noneMatch(x -> Arrays.equals(x, ip))) {
                ips.add(ip);
            }
        }
        if (remoteAddress != null) {
            byte[] remote = parse(hostOf(remoteAddress));
            if (remote == null) {
                remote = parse(remoteAddress);
            }
            if (remote != null && (ips.isEmpty() || !Arrays.equals(remote, ips.get(ips.size() - 1)))) {
                ips.add(remote);
            }
        }
        return ips.stream().map(SourceIps::format).toList();
    }

    /** net.SplitHostPort's host, or the input when it is not host:port. */
    private static String hostOf(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        int colon = address.lastIndexOf(':');
        if (colon > 0 && address.indexOf(':') == colon) {
            return address.substring(0, colon);
        }
        return address;
    }

    /** ParseIPSloppy: 16 bytes (IPv4 as IPv4-mapped) or null. */
    static byte[] parse(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                return parseV4(s);
            }
            if (c == ':') {
                return parseV6(s);
            }
        }
        return null;
    }

    private static byte[] parseV4(String s) {
        byte[] ip = new byte[16];
        ip[10] = (byte) 0xff;
        ip[11] = (byte) 0xff;
        int pos = 0;
        for (int i = 0; i < 4; i++) {
            if (pos >= s.length()) {
                return null;
            }
            if (i > 0) {
                if (s.charAt(pos) != '.') {
                    return null;
                }
                pos++;
            }
            int n = 0;
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos)) && s.charAt(pos) < 0x80) {
                n = n * 10 + (s.charAt(pos) - '0');
                if (n >= 0xFFFFFF) {
                    return null;
                }
                pos++;
            }
            if (pos == start || n > 0xFF) {
                return null;
            }
            ip[12 + i] = (byte) n;
        }
        return pos == s.length() ? ip : null;
    }

    private static byte[] parseV6(String s) {
        byte[] ip = new byte[16];
        int ellipsis = -1;
        int pos = 0;
        if (s.length() >= 2 && s.charAt(0) == ':' && s.charAt(1) == ':') {
            ellipsis = 0;
            pos = 2;
            if (pos == s.length()) {
                return ip;
            }
        }
        int i = 0;
        while (i < 16) {
            int n = 0;
            int start = pos;
            while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0 && s.charAt(pos) < 0x80) {
                n = n * 16 + Character.digit(s.charAt(pos), 16);
                if (n >= 0xFFFFFF) {
                    return null;
                }
                pos++;
            }
            if (pos == start || n > 0xFFFF) {
                return null;
            }
            if (pos < s.length() && s.charAt(pos) == '.') {
                // An embedded IPv4 address ends the address.
                if (ellipsis < 0 && i != 12 || i + 4 > 16) {
                    return null;
                }
                byte[] v4 = parseV4(s.substring(start));
                if (v4 == null) {
                    return null;
                }
                System.arraycopy(v4, 12, ip, i, 4);
                i += 4;
                pos = s.length();
                break;
            }
            ip[i] = (byte) (n >> 8);
            ip[i + 1] = (byte) n;
            i += 2;
            if (pos == s.length()) {
                break;
            }
            if (s.charAt(pos) != ':' || pos + 1 == s.length()) {
                return null;
            }
            pos++;
            if (s.charAt(pos) == ':') {
                if (ellipsis >= 0) {
                    return null;
                }
                ellipsis = i;
                pos++;
                if (pos == s.length()) {
                    break;
                }
            }
        }
        if (pos != s.length()) {
            return null;
        }
        if (i < 16) {
            if (ellipsis < 0) {
                return null;
            }
            int n = 16 - i;
            for (int j = i - 1; j >= ellipsis; j--) {
                ip[j + n] = ip[j];
            }
            for (int j = ellipsis + n - 1; j >= ellipsis; j--) {
                ip[j] = 0;
            }
        } else if (ellipsis >= 0) {
            return null;
        }
        return ip;
    }

    /** Go's net.IP String for a 16-byte address. */
    static String format(byte[] ip) {
        boolean v4 = true;
        for (int i = 0; i < 10; i++) {
            v4 &= ip[i] == 0;
        }
        if (v4 && ip[10] == (byte) 0xff && ip[11] == (byte) 0xff) {
            return (ip[12] & 0xff) + "." + (ip[13] & 0xff) + "." + (ip[14] & 0xff) + "." + (ip[15] & 0xff);
        }
        // RFC 5952: compress the longest run (first one on ties) of two or more zero groups.
        int bestStart = -1;
        int bestLen = 0;
        for (int g = 0; g < 8; ) {
            if (group(ip, g) == 0) {
                int start = g;
                while (g < 8 && group(ip, g) == 0) {
                    g++;
                }
                if (g - start > bestLen) {
                    bestStart = start;
                    bestLen = g - start;
                }
            } else {
                g++;
            }
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder b = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                b.append("::");
                g += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(group(ip, g)));
        }
        return b.toString();
    }

    private static int group(byte[] ip, int g) {
        return (ip[2 * g] & 0xff) << 8 | (ip[2 * g + 1] & 0xff);
    }
}
