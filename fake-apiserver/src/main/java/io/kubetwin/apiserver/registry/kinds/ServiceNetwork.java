package io.kubetwin.apiserver.registry.kinds;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Service cluster IPs from {@code --service-cluster-ip-range} and node ports from
 * {@code --service-node-port-range}, as kube-apiserver's allocators hand them out: the first address of the
 * range is the kubernetes Service's, the others are picked at random among the free ones. Addresses and
 * ports are released when a Service is deleted only on restart (the fake keeps no allocation objects);
 * with random picks from large ranges this matters only for tests that create thousands of Services.
 * Thread-safe.
 */
public final class ServiceNetwork {
    private final BigInteger base;
    private final int bits;
    private final long size;
    private final int firstNodePort;
    private final int lastNodePort;
    private final Set<String> usedIps = ConcurrentHashMap.newKeySet();
    private final Set<Integer> usedPorts = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param cidr an IPv4 or IPv6 CIDR, e.g. "10.96.0.0/12"
     * @param nodePortRange "FIRST-LAST", e.g. "30000-32767"
     * @throws IllegalArgumentException when either is malformed
     */
    public ServiceNetwork(String cidr, String nodePortRange) {
        String[] parts = cidr.split("/");
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            bits = address.length * 8;
            int prefix = Integer.parseInt(parts[1]);
            BigInteger mask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            base = new BigInteger(1, address).andNot(mask);
            size = mask.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact() + 1;
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalArgumentException("invalid --service-cluster-ip-range " + cidr, e);
        }
        String[] ports = nodePortRange.split("-");
        firstNodePort = Integer.parseInt(ports[0].trim());
        lastNodePort = Integer.parseInt(ports[1].trim());
        usedIps.add(kubernetesServiceIp());
    }

    /** The kubernetes Service's address: the range's first address after the network address. */
    public String kubernetesServiceIp() {
        return address(1);
    }

    /** A free address at random, never the network, first or (IPv4) broadcast address. */
    public String allocateIp() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            long offset = 2 + Math.floorMod(random.nextLong(), Math.max(1, size - 3));
            String ip = address(offset);
            if (usedIps.add(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("range is full");
    }

    /** Marks an address a client chose as in use; false when it already was. */
    public boolean reserveIp(String ip) {
        return usedIps.add(ip);
    }

    /** A free node port at random. */
    public int allocateNodePort() {
        int span = lastNodePort - firstNodePort + 1;
        for (int attempt = 0; attempt < 10 * span; attempt++) {
            int port = firstNodePort + random.nextInt(span);
            if (usedPorts.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("range is full");
    }

    public void reserveNodePort(int port) {
        usedPorts.add(port);
    }

    private String address(long offset) {
        byte[] raw = base.add(BigInteger.valueOf(offset)).toByteArray();
        byte[] bytes = new byte[bits / 8];
        int copy = Math.min(raw.length, bytes.length);
        System.arraycopy(raw, raw.length - copy, bytes, bytes.length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
