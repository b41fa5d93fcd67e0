package dev.newsline.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.ingest.http.AddressGuard.AddressClass;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddressGuardTest {

    /** Literals only: InetAddress parses them without any lookup. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "127.0.0.1, LOOPBACK", "127.8.9.10, LOOPBACK", "::1, LOOPBACK",
        "10.0.0.1, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.254, PRIVATE", "192.168.1.20, PRIVATE",
        "fc00::1, PRIVATE", "fd12:3456::1, PRIVATE", "fec0::1, PRIVATE",
        "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL",
        "169.254.169.254, CLOUD_METADATA", "fd00:ec2::254, CLOUD_METADATA", "100.100.100.200, CLOUD_METADATA",
        "100.64.0.1, CARRIER_GRADE_NAT", "100.127.255.254, CARRIER_GRADE_NAT",
        "0.0.0.0, UNSPECIFIED", "::, UNSPECIFIED",
        "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST",
        "255.255.255.255, RESERVED", "240.0.0.1, RESERVED", "0.1.2.3, RESERVED", "192.0.2.10, RESERVED",
        "198.18.0.1, RESERVED", "2001:db8::1, RESERVED",
        "::ffff:10.0.0.1, PRIVATE", "::ffff:169.254.169.254, CLOUD_METADATA", "::10.0.0.1, PRIVATE",
        "64:ff9b::a00:1, PRIVATE", "64:ff9b::7f00:1, LOOPBACK", "2002:a9fe:a9fe::1, CLOUD_METADATA",
        "172.32.0.1, PUBLIC", "100.128.0.1, PUBLIC", "1.1.1.1, PUBLIC", "2606:4700::1111, PUBLIC",
        "2002:0101:0101::1, PUBLIC"
    })
    void shouldClassifyAddressesWithoutLookingThemUp(String literal, AddressClass expected) throws Exception {
        assertThat(AddressGuard.classify(InetAddress.getByName(literal))).isEqualTo(expected);
    }

    @Test
    void shouldRefusePrivateAndMetadataAddressesWithoutAnAllowList() {
        AddressGuard guard = AddressGuard.publicOnly();

        assertBlocked(guard, "http://10.0.0.1/feed.xml", "10.0.0.1 (private)");
        assertBlocked(guard, "http://169.254.169.254/latest/meta-data/", "169.254.169.254 (cloud-metadata)");
        assertBlocked(guard, "http://127.0.0.1:8080/rss", "127.0.0.1 (loopback)");
        assertBlocked(guard, "http://[::1]/rss", "(loopback)");
        assertBlocked(guard, "http://[fe80::1]/rss", "(link-local)");
        assertBlocked(guard, "http://100.64.1.1/rss", "(carrier-grade-nat)");
        assertBlocked(guard, "http://0.0.0.0/rss", "(unspecified)");
        assertBlocked(guard, "http://224.0.0.1/rss", "(multicast)");
    }

    @Test
    void shouldRefuseAHostNameThatResolvesToAPrivateAddress() {
        AddressGuard guard = AddressGuard.of(false, List.of(), host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {1, 2, 3, 4}),
            InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3})});

        assertBlocked(guard, "https://feeds.fictional.example/rss", "resolves to 10.1.2.3 (private)");
    }

    @Test
    void shouldAllowListedAddressesNetworksAndHostsOnly() throws Exception {
        AddressGuard guard = AddressGuard.of(false, List.of("127.0.0.1", "10.20.0.0/16", "fd00::/8", "intranet.fictional"),
                host -> host.equals("intranet.fictional")
                        ? new InetAddress[] {InetAddress.getByAddress(host, new byte[] {(byte) 192, (byte) 168, 0, 5})}
                        : InetAddress.getAllByName(host));

        assertThat(guard.check(URI.create("http://127.0.0.1:1234/feed"))).hasSize(1);
        assertThat(guard.check(URI.create("http://10.20.99.1/feed"))).hasSize(1);
        assertThat(guard.check(URI.create("http://[fd00::5]/feed"))).hasSize(1);
        assertThat(guard.check(URI.create("http://intranet.fictional/feed"))).hasSize(1);
        assertBlocked(guard, "http://127.0.0.2/feed", "(loopback)");
        assertBlocked(guard, "http://10.21.0.1/feed", "(private)");
        assertBlocked(guard, "http://169.254.169.254/", "(cloud-metadata)");
    }

    @Test
    void shouldLetAllowPrivateOpenEverythingButCloudMetadata() throws Exception {
        AddressGuard guard = AddressGuard.of(true, List.of());

        assertThat(guard.check(URI.create("http://192.168.0.10/feed"))).hasSize(1);
        assertThat(guard.check(URI.create("http://127.0.0.1/feed"))).hasSize(1);
        assertBlocked(guard, "http://169.254.169.254/latest/meta-data/", "(cloud-metadata)");
        assertThat(AddressGuard.of(true, List.of("169.254.169.254")).check(URI.create("http://169.254.169.254/")))
                .hasSize(1);
    }

    @Test
    void shouldRefuseNonHttpSchemesAndRejectMalformedAllowListEntries() {
        assertThatThrownBy(() -> AddressGuard.publicOnly().check(URI.create("file:///etc/passwd")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("bad-url"));
        assertThatThrownBy(() -> AddressGuard.publicOnly().check(URI.create("gopher://fictional.example/")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("bad-url"));
        assertThatThrownBy(() -> AddressGuard.of(false, List.of("10.0.0.0/33"))).hasMessageContaining("0..32");
        assertThatThrownBy(() -> AddressGuard.of(false, List.of("300.1.1.1"))).hasMessageContaining("300.1.1.1");
        assertThatThrownBy(() -> AddressGuard.of(false, List.of("bad host!"))).hasMessageContaining("bad host!");
    }

    @Test
    void shouldReportAnUnresolvableHost() {
        AddressGuard guard = AddressGuard.of(false, List.of(), host -> {
            throw new UnknownHostException(host);
        });
        assertThatThrownBy(() -> guard.check(URI.create("https://nowhere.fictional/rss")))
                .isInstanceOfSatisfying(FetchException.class, e -> assertThat(e.reason()).isEqualTo("unresolvable-host"));
    }

    private static void assertBlocked(AddressGuard guard, String url, String detail) {
        assertThatThrownBy(() -> guard.check(URI.create(url)))
                .isInstanceOfSatisfying(FetchException.class, e -> {
                    assertThat(e.reason()).isEqualTo("blocked-address");
                    assertThat(e.getMessage()).contains(detail);
                });
    }
}
