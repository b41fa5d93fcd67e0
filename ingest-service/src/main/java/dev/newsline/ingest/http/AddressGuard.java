package dev.newsline.ingest.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Server-side request forgery guard: before any connection, resolves a URL's host and refuses
 * it unless every address it resolves to is public, or is allowed by configuration.
 *
 * <p>Refused unless allowed: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7,
 * fec0::/10), link-local (169.254/16, fe80::/10), carrier-grade NAT (100.64/10), cloud metadata
 * endpoints (169.254.169.254, fd00:ec2::254, 100.100.100.200), unspecified, multicast, and
 * reserved ranges (0/8, 240/4, benchmarking, documentation). IPv4 addresses embedded in IPv6
 * (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address.
 *
 * <p>{@code allowPrivate} lifts the refusal for every class except cloud metadata, which only
 * an explicit allow-list entry (an IP, a CIDR or a host name) can open.
 *
 * <p>The JDK caches successful lookups (30 s by default), so the HTTP client normally connects to
 * the address checked here; a resolver that answers differently within that window is not
 * defeated by this guard (DNS rebinding), which is why egress should also be firewalled.
 */
public final class AddressGuard {

    /** What kind of network an address belongs to. */
    public enum AddressClass {
        PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, CLOUD_METADATA, CARRIER_GRADE_NAT, UNSPECIFIED, MULTICAST, RESERVED;

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Looks up a host's addresses; the JDK resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean allowPrivate;
    private final List<Cidr> allowedNetworks;
    private final Set<String> allowedHosts;
    private final Resolver resolver;

    private AddressGuard(boolean allowPrivate, List<Cidr> allowedNetworks, Set<String> allowedHosts, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.allowedNetworks = List.copyOf(allowedNetworks);
        this.allowedHosts = Set.copyOf(allowedHosts);
        this.resolver = resolver;
    }

    /** A guard that allows public addresses only. */
    public static AddressGuard publicOnly() {
        return new AddressGuard(false, List.of(), Set.of(), InetAddress::getAllByName);
    }

    /**
     * @param allowPrivate allow every non-public class except cloud metadata
     * @param allowList    IPs ({@code 127.0.0.1}, {@code ::1}), CIDRs ({@code 10.20.0.0/16}) or
     *                     host names ({@code feeds.internal.example}, matched exactly)
     * @throws IllegalArgumentException on a malformed entry
     */
    public static AddressGuard of(boolean allowPrivate, List<String> allowList) {
        return of(allowPrivate, allowList, InetAddress::getAllByName);
    }

    static AddressGuard of(boolean allowPrivate, List<String> allowList, Resolver resolver) {
        List<Cidr> networks = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        for (String raw : allowList) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/") || entry.contains(":") || IPV4_LITERAL.matcher(entry).matches()) {
                networks.add(Cidr.parse(entry));
            } else if (entry.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")) {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException("'" + entry + "' is neither an IP address, a CIDR nor a host name");
            }
        }
        return new AddressGuard(allowPrivate, networks, hosts, resolver);
    }

    /**
     * Resolves the URL's host and refuses it unless every address is allowed. Never connects.
     *
     * @return the addresses the host resolved to
     * @throws FetchException {@code bad-url}, {@code unresolvable-host} or {@code blocked-address}
     */
    public List<InetAddress> check(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException("bad-url", "only http and https URLs are fetched: " + url);
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw new FetchException("bad-url", "URL has no host: " + url);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new FetchException("unresolvable-host", "cannot resolve " + host + ": " + e.getMessage());
        }
        if (addresses == null || addresses.length == 0) {
            throw new FetchException("unresolvable-host", "no address for " + host);
        }
        boolean hostAllowed = allowedHosts.contains(host.toLowerCase(Locale.ROOT));
        for (InetAddress address : addresses) {
            AddressClass kind = classify(address);
            if (!hostAllowed && !isAllowed(address, kind)) {
                throw new FetchException("blocked-address", "refusing to fetch " + url + ": " + host + " resolves to "
                        + address.getHostAddress() + " (" + kind.label() + "); allow it with ingest.http.allowed.hosts");
            }
        }
        return List.of(addresses);
    }

    boolean isAllowed(InetAddress address, AddressClass kind) {
        if (kind == AddressClass.PUBLIC) {
            return true;
        }
        for (Cidr network : allowedNetworks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return allowPrivate && kind != AddressClass.CLOUD_METADATA;
    }

    /** Classifies an address without any lookup. */
    public static AddressClass classify(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return classifyV4(b);
        }
        if (address instanceof Inet6Address) {
            return classifyV6(b);
        }
        return AddressClass.RESERVED;
    }

    private static AddressClass classifyV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        int a2 = b[2] & 0xff;
        int a3 = b[3] & 0xff;
        if (a0 == 0 && a1 == 0 && a2 == 0 && a3 == 0) {
            return AddressClass.UNSPECIFIED;
        }
        if (a0 == 169 && a1 == 254 && a2 == 169 && a3 == 254 || a0 == 100 && a1 == 100 && a2 == 100 && a3 == 200) {
            return AddressClass.CLOUD_METADATA;
        }
        if (a0 == 127) {
            return AddressClass.LOOPBACK;
        }
        if (a0 == 10 || a0 == 172 && (a1 & 0xf0) == 16 || a0 == 192 && a1 == 168) {
            return AddressClass.PRIVATE;
        }
        if (a0 == 169 && a1 == 254) {
            return AddressClass.LINK_LOCAL;
        }
        if (a0 == 100 && (a1 & 0xc0) == 64) {
            return AddressClass.CARRIER_GRADE_NAT;
        }
        if (a0 >= 224 && a0 <= 239) {
            return AddressClass.MULTICAST;
        }
        if (a0 == 0 || a0 >= 240
                || a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)
                || a0 == 198 && (a1 & 0xfe) == 18
                || a0 == 198 && a1 == 51 && a2 == 100
                || a0 == 203 && a1 == 0 && a2 == 113) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static AddressClass classifyV6(byte[] b) {
        boolean first10Zero = allZero(b, 0, 10);
        if (first10Zero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return classifyV4(Arrays.copyOfRange(b, 12, 16));
        }
        if (first10Zero && b[10] == 0 && b[11] == 0) {
            if (allZero(b, 12, 15)) {
                if (b[15] == 0) {
                    return AddressClass.UNSPECIFIED;
                }
                if (b[15] == 1) {
                    return AddressClass.LOOPBACK;
                }
            }
            return classifyV4(Arrays.copyOfRange(b, 12, 16));
        }
        int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
        int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (w0 == 0x0064 && w1 == 0xff9b) {
            // NAT64: 64:ff9b::/96 reaches the embedded IPv4 address; 64:ff9b:1::/48 is local use
            return allZero(b, 4, 12) ? classifyV4(Arrays.copyOfRange(b, 12, 16)) : AddressClass.PRIVATE;
        }
        if (w0 == 0x2002) {
            return classifyV4(Arrays.copyOfRange(b, 2, 6));
        }
        if (w0 == 0xfd00 && w1 == 0x0ec2 && allZero(b, 4, 14) && b[14] == 0x02 && (b[15] & 0xff) == 0x54) {
            return AddressClass.CLOUD_METADATA;
        }
        if ((b[0] & 0xfe) == 0xfc || (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return AddressClass.PRIVATE;
        }
        if ((b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80) {
            return AddressClass.LINK_LOCAL;
        }
        if ((b[0] & 0xff) == 0xff) {
            return AddressClass.MULTICAST;
        }
        if (w0 == 0x2001 && (w1 == 0x0db8 || w1 == 0x0000) || w0 == 0x0100 && allZero(b, 2, 8)) {
            return AddressClass.RESERVED;
        }
        return AddressClass.PUBLIC;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** An IPv4 or IPv6 network written as an address with an optional prefix length. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("malformed CIDR '" + text + "'");
            }
            byte[] address = literal(parts[0]);
            int max = address.length * 8;
            int prefix;
            try {
                prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length of '" + text + "' must be 0.." + max);
            }
            return new Cidr(address, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }

        private static byte[] literal(String text) {
            // only literals reach the resolver here, so this never causes a DNS lookup
            if (!IPV4_LITERAL.matcher(text).matches() && !text.contains(":")) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address literal");
            }
            if (IPV4_LITERAL.matcher(text).matches()) {
                for (String octet : text.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
                    }
                }
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address literal");
            }
        }
    }
}
