package io.kubetwin.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** IP literal handling for subjectAltNames; never does a DNS lookup. */
final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private IpAddresses() {}

    /** The 4 or 16 address bytes of an IP literal; rejects anything that is not a literal. */
    static byte[] toBytes(String ip) {
        boolean literal = IPV4.matcher(ip).matches() || (ip.indexOf(':') >= 0 && ip.matches("[0-9A-Fa-f:.]+"));
        if (!literal) {
            throw new IllegalArgumentException("not an IP address: \"" + ip + "\"");
        }
        try {
            // A literal never triggers a lookup.
            return InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: \"" + ip + "\"", e);
        }
    }

    /** The text form of address bytes as Go's net.IP.String prints it (IPv4 dotted, IPv6 compressed). */
    static String toText(byte[] address) {
        try {
            InetAddress a = InetAddress.getByAddress(address);
            String text = a.getHostAddress();
            return address.length == 16 ? compressIpv6(text) : text;
        } catch (UnknownHostException e) {
            throw new PkiException("bad IP address of length " + address.length, e);
        }
    }

    // Java prints 0:0:0:0:0:0:0:1; Go and kubectl print ::1. Replace the longest run of two or more zero groups.
    private static String compressIpv6(String text) {
        String[] groups = text.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLen < 2) {
            return text;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return head + "::" + tail;
    }
}
