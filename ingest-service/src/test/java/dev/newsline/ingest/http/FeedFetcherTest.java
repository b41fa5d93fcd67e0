package dev.newsline.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.newsline.ingest.support.FeedServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedFetcherTest {

    private static final String RSS = "<rss version=\"2.0\"><channel><title>Fictional</title></channel></rss>";
    private static final int CAP = 1024 * 1024;

    private FeedServer server;
    private ExecutorService lookups;
    private ScheduledExecutorService timers;
    private FeedFetcher fetcher;

    @BeforeEach
    void start() {
        server = FeedServer.start();
        lookups = Executors.newCachedThreadPool();
        timers = Executors.newSingleThreadScheduledExecutor();
        fetcher = fetcher(AddressGuard.of(false, List.of("127.0.0.1")), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.close();
        lookups.shutdownNow();
        timers.shutdownNow();
    }

    @Test
    void shouldSendValidatorsBackAndTreat304AsNotModified() {
        server.on("/cond.xml", (exchange, n) -> {
            if ("\"v1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                FeedServer.send(exchange, 200, "application/rss+xml", RSS.getBytes(StandardCharsets.UTF_8),
                        "ETag", "\"v1\"", "Last-Modified", "Mon, 30 Nov 2026 08:00:00 GMT");
            }
        });

        FetchResult first = fetcher.fetch(server.url("/cond.xml"), Validators.NONE).join();
        FetchResult second = fetcher.fetch(server.url("/cond.xml"), ((FetchResult.Fetched) first).validators()).join();

        assertThat(first).isInstanceOfSatisfying(FetchResult.Fetched.class, f -> {
            assertThat(new String(f.body(), StandardCharsets.UTF_8)).isEqualTo(RSS);
            assertThat(f.validators()).isEqualTo(new Validators("\"v1\"", "Mon, 30 Nov 2026 08:00:00 GMT"));
        });
        assertThat(second).isInstanceOf(FetchResult.NotModified.class);
        List<FeedServer.Request> requests = server.requests("/cond.xml");
        assertThat(requests.get(0).header("If-None-Match")).isNull();
        assertThat(requests.get(0).header("If-Modified-Since")).isNull();
        assertThat(requests.get(0).header("User-Agent")).isEqualTo("Newsline-Test/1");
        assertThat(requests.get(0).header("Accept-Encoding")).contains("gzip");
        assertThat(requests.get(1).header("If-None-Match")).isEqualTo("\"v1\"");
        assertThat(requests.get(1).header("If-Modified-Since")).isEqualTo("Mon, 30 Nov 2026 08:00:00 GMT");
    }

    @Test
    void shouldDecodeAGzipContentEncoding() {
        server.on("/gz.xml", FeedServer.ok("application/rss+xml", FeedServer.gzip(RSS.getBytes(StandardCharsets.UTF_8)),
                "Content-Encoding", "gzip"));

        FetchResult result = fetcher.fetch(server.url("/gz.xml"), Validators.NONE).join();

        assertThat(new String(((FetchResult.Fetched) result).body(), StandardCharsets.UTF_8)).isEqualTo(RSS);
    }

    @Test
    void shouldCutOffAGzipBombAtTheDecompressedCap() {
        byte[] bomb = FeedServer.gzip(new byte[32 * CAP]);
        assertThat(bomb.length).as("the bomb itself is far below the cap").isLessThan(CAP / 8);
        server.on("/bomb.xml", FeedServer.ok("application/rss+xml", bomb, "Content-Encoding", "gzip"));

        assertFails(() -> fetcher.fetch(server.url("/bomb.xml"), Validators.NONE).join(), "too-large");
    }

    @Test
    void shouldRefuseABodyLargerThanTheCap() {
        server.on("/huge.xml", FeedServer.ok("application/rss+xml", new byte[CAP + 1]));

        assertFails(() -> fetcher.fetch(server.url("/huge.xml"), Validators.NONE).join(), "too-large");
    }

    @Test
    void shouldFollowRedirectsToTheFeed() {
        server.on("/old", FeedServer.redirect(301, "/moved"))
                .on("/moved", FeedServer.redirect(302, server.url("/feed.xml").toString()))
                .on("/feed.xml", FeedServer.ok("application/rss+xml", RSS));

        FetchResult result = fetcher.fetch(server.url("/old"), Validators.NONE).join();

        assertThat(result.url()).isEqualTo(server.url("/feed.xml"));
        assertThat(server.count("/feed.xml")).isEqualTo(1);
    }

    @Test
    void shouldGiveUpOnARedirectLoopAfterFiveRedirects() {
        server.on("/loop", FeedServer.redirect(302, "/loop"));

        assertFails(() -> fetcher.fetch(server.url("/loop"), Validators.NONE).join(), "too-many-redirects");
        assertThat(server.count("/loop")).as("the first request and five redirects").isEqualTo(6);
    }

    @Test
    void shouldRefuseRedirectsToPrivateOrMetadataAddressesBeforeConnecting() {
        server.on("/to-private", FeedServer.redirect(302, "http://10.0.0.1:8080/feed.xml"))
                .on("/to-metadata", FeedServer.redirect(307, "http://169.254.169.254/latest/meta-data/"))
                .on("/to-other-loopback", FeedServer.redirect(302, "http://127.0.0.2:9/feed.xml"));

        assertFails(() -> fetcher.fetch(server.url("/to-private"), Validators.NONE).join(), "blocked-address",
                "10.0.0.1 (private)");
        assertFails(() -> fetcher.fetch(server.url("/to-metadata"), Validators.NONE).join(), "blocked-address",
                "169.254.169.254 (cloud-metadata)");
        assertFails(() -> fetcher.fetch(server.url("/to-other-loopback"), Validators.NONE).join(), "blocked-address",
                "127.0.0.2 (loopback)");
    }

    @Test
    void shouldRefusePrivateAddressesWithoutAnAllowListAndSendNothing() {
        FeedFetcher strict = fetcher(AddressGuard.publicOnly(), Duration.ofSeconds(5));
        server.on("/feed.xml", FeedServer.ok("application/rss+xml", RSS));

        assertFails(() -> strict.fetch(server.url("/feed.xml"), Validators.NONE).join(), "blocked-address", "(loopback)");
        assertFails(() -> strict.fetch(URI.create("http://10.0.0.1/feed.xml"), Validators.NONE).join(), "blocked-address");
        assertFails(() -> strict.fetch(URI.create("http://169.254.169.254/latest/meta-data/"), Validators.NONE).join(),
                "blocked-address");
        assertThat(server.count("/feed.xml")).as("refused before connecting").isZero();
    }

    @Test
    void shouldPassOnRetryAfterOf429And503() {
        server.on("/busy", FeedServer.status(429, "Retry-After", "7"))
                .on("/down", FeedServer.status(503, "Retry-After", "Fri, 31 Dec 2100 23:59:59 GMT"));

        assertThatThrownBy(() -> fetcher.fetch(server.url("/busy"), Validators.NONE).join())
                .satisfies(e -> {
                    FetchException fe = FetchException.find(e);
                    assertThat(fe.reason()).isEqualTo("rate-limited");
                    assertThat(fe.status()).isEqualTo(429);
                    assertThat(fe.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                });
        assertThatThrownBy(() -> fetcher.fetch(server.url("/down"), Validators.NONE).join())
                .satisfies(e -> assertThat(FetchException.find(e).retryAfter()).as("capped").isEqualTo(RetryAfter.MAX));
    }

    @Test
    void shouldReportAServerErrorByStatus() {
        server.on("/broken", FeedServer.status(500));

        assertFails(() -> fetcher.fetch(server.url("/broken"), Validators.NONE).join(), "http-500");
    }

    @Test
    void shouldTimeOutAServerThatNeverAnswersOrStallsMidBody() {
        FeedFetcher impatient = fetcher(AddressGuard.of(false, List.of("127.0.0.1")), Duration.ofMillis(300));
        server.on("/hang", server.hang())
                .on("/stall", server.stallMidBody("application/rss+xml", "<rss version=\"2.0\"><chan".getBytes(StandardCharsets.UTF_8)));

        long started = System.nanoTime();
        assertFails(() -> impatient.fetch(server.url("/hang"), Validators.NONE).join(), "timeout");
        assertFails(() -> impatient.fetch(server.url("/stall"), Validators.NONE).join(), "timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    private FeedFetcher fetcher(AddressGuard guard, Duration readTimeout) {
        return new FeedFetcher(new FetchSettings(Duration.ofSeconds(2), readTimeout, CAP, 5, "Newsline-Test/1", guard),
                lookups, timers);
    }

    private static void assertFails(ThrowingCallable call, String reason, String... detail) {
        assertThatThrownBy(call).isInstanceOf(CompletionException.class).satisfies(e -> {
            FetchException fe = FetchException.find(e);
            assertThat(fe).as("a FetchException in %s", e).isNotNull();
            assertThat(fe.reason()).isEqualTo(reason);
            for (String d : detail) {
                assertThat(fe.getMessage()).contains(d);
            }
        });
    }
}
