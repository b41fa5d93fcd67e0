package dev.newsline.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.newsline.embedded.EmbeddedKafka;
import dev.newsline.ingest.config.IngestConfig;
import dev.newsline.ingest.feed.FeedStatus;
import dev.newsline.ingest.support.FeedServer;
import dev.newsline.ingest.support.Feeds;
import dev.newsline.ingest.support.Feeds.Item;
import dev.newsline.ingest.support.TopicReader;
import dev.newsline.model.DeadLetter;
import dev.newsline.model.RawArticle;
import dev.newsline.model.topic.DeadLetters;
import dev.newsline.model.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live service end to end: a real HTTP server on 127.0.0.1 serving feeds written here, a real
 * broker. Topics for articles and dead letters are shared, so each test reads back only the
 * records of its own feed URLs; each test has its own seen topic.
 */
class IngestServiceIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static EmbeddedKafka kafka;
    private static FeedServer server;
    private final List<IngestService> services = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startTemporary();
        kafka.createTopics(List.of(new NewTopic(Topics.ARTICLES_RAW.name(), 3, (short) 1),
                new NewTopic(Topics.INGEST_DLQ.name(), 1, (short) 1)));
        server = FeedServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
        kafka.close();
    }

    @AfterEach
    void closeServices() {
        services.forEach(IngestService::close);
    }

    @Test
    void shouldSendValidatorsAndProduceNothingTwiceWhenTheFeedAnswers304() {
        String path = "/conditional/feed.xml";
        String rss = Feeds.rss("Conditional", List.of(
                Item.of("https://cond.fictional.example/1", "Ferry timetable changes", "Winter times"),
                Item.of("https://cond.fictional.example/2", "Library extends hours", "Open late")));
        server.on(path, (exchange, n) -> {
            if ("\"c1\"".equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                FeedServer.send(exchange, 200, "application/rss+xml", rss.getBytes(StandardCharsets.UTF_8),
                        "ETag", "\"c1\"", "Last-Modified", "Mon, 30 Nov 2026 07:30:00 GMT");
            }
        });
        IngestService service = service("seen.conditional", Map.of(), feed(path, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, path).polls() >= 3);
        service.close();

        FeedStatus status = status(service, path);
        assertThat(status.fetched()).isEqualTo(1);
        assertThat(status.notModified()).isEqualTo(status.polls() - 1);
        assertThat(status.produced()).isEqualTo(2);
        List<FeedServer.Request> requests = server.requests(path);
        assertThat(requests.get(0).header("If-None-Match")).isNull();
        assertThat(requests.subList(1, requests.size())).allSatisfy(r -> {
            assertThat(r.header("If-None-Match")).isEqualTo("\"c1\"");
            assertThat(r.header("If-Modified-Since")).isEqualTo("Mon, 30 Nov 2026 07:30:00 GMT");
        });
        assertThat(articles(path)).extracting(r -> r.value().getTitle())
                .containsExactlyInAnyOrder("Ferry timetable changes", "Library extends hours");
    }

    @Test
    void shouldStopAndReportAFatalKafkaFailureEvenWhenLaterPollsSendNothing() throws Exception {
        // the broker is fine; this service's producers refuse records over 1,000 bytes, so the send
        // of the one ~4 KB item fails after it was claimed, and every later poll finds only that
        // (in-memory) duplicate and sends nothing: the failure must still stop the service
        String path = "/fatal/feed.xml";
        String rss = Feeds.rss("Fatal", List.of(
                Item.of("https://fatal.fictional.example/1", "Harbour report", "Tide tables and moorings. ".repeat(160))));
        server.on(path, (exchange, n) -> FeedServer.send(exchange, 200, "application/rss+xml",
                rss.getBytes(StandardCharsets.UTF_8)));
        IngestService service = service("seen.fatal", Map.of("kafka.max.request.size", "1000"), feed(path, "200ms"));

        Throwable fatal = service.failed().toCompletableFuture().get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

        assertThat(fatal).isInstanceOf(org.apache.kafka.common.KafkaException.class)
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.RecordTooLargeException.class);
        assertThat(service.failure()).contains(fatal);
        assertThat(service.isRunning()).isFalse();
        assertThat(articles(path)).isEmpty();
    }

    @Test
    void shouldProduceOnlyNewAndChangedItemsWhenTheFeedChanges() {
        String path = "/changing/feed.xml";
        String v1 = Feeds.rss("Changing", List.of(
                Item.of("https://change.fictional.example/a", "Council meets", "Agenda published"),
                Item.of("https://change.fictional.example/b", "Storm warning", "Winds expected")));
        String v2 = Feeds.rss("Changing", List.of(
                Item.of("https://change.fictional.example/a", "Council meets", "Agenda published"),
                Item.of("https://change.fictional.example/b", "Storm warning", "Winds expected, schools closed"),
                Item.of("https://change.fictional.example/c", "Market day moved", "Now on Friday")));
        server.on(path, (exchange, n) -> FeedServer.send(exchange, 200, "application/rss+xml",
                (n == 1 ? v1 : v2).getBytes(StandardCharsets.UTF_8)));
        IngestService service = service("seen.changing", Map.of(), feed(path, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, path).polls() >= 3);
        service.close();

        List<ConsumerRecord<String, RawArticle>> produced = articles(path);
        assertThat(produced).extracting(r -> r.value().getCanonicalUrl()).containsExactlyInAnyOrder(
                "https://change.fictional.example/a", "https://change.fictional.example/b",
                "https://change.fictional.example/b", "https://change.fictional.example/c");
        assertThat(produced).filteredOn(r -> r.value().getCanonicalUrl().endsWith("/b"))
                .extracting(r -> r.value().getSummary())
                .containsExactly("Winds expected", "Winds expected, schools closed");
        FeedStatus status = status(service, path);
        assertThat(status.produced()).isEqualTo(4);
        assertThat(status.updates()).isEqualTo(1);
        assertThat(status.duplicates()).isGreaterThanOrEqualTo(4);
        assertThat(service.counters().updates()).isEqualTo(1);
    }

    @Test
    void shouldKeepPollingOtherFeedsOnTimeWhileOneHangs() {
        String slow = "/slow/feed.xml";
        String fast = "/fast/feed.xml";
        server.on(slow, server.hang());
        server.on(fast, FeedServer.ok("application/rss+xml", Feeds.rss("Fast", List.of(
                Item.of("https://fast.fictional.example/1", "Quick item", "On time")))));
        IngestService service = service("seen.timeouts", Map.of("ingest.http.read.timeout.ms", "1500"),
                feed(slow, "200ms"), feed(fast, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, slow).errors() >= 1);

        assertThat(status(service, slow).lastError()).startsWith("timeout");
        List<FeedServer.Request> fastRequests = server.requests(fast);
        assertThat(fastRequests).as("polled every 200 ms while the other feed hung for 1.5 s").hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < fastRequests.size(); i++) {
            assertThat(Duration.ofNanos(fastRequests.get(i).nanoTime() - fastRequests.get(i - 1).nanoTime()))
                    .isLessThan(Duration.ofMillis(1000));
        }
        assertThat(status(service, fast).errors()).isZero();
    }

    @Test
    void shouldBackOffAfterServerErrorsAndRecover() {
        String path = "/flaky/feed.xml";
        byte[] rss = Feeds.rss("Flaky", List.of(Item.of("https://flaky.fictional.example/1", "Back again", "Recovered")))
                .getBytes(StandardCharsets.UTF_8);
        server.on(path, (exchange, n) -> {
            if (n <= 2) {
                exchange.sendResponseHeaders(500, -1);
            } else {
                FeedServer.send(exchange, 200, "application/rss+xml", rss);
            }
        });
        IngestService service = service("seen.flaky", Map.of(), feed(path, "200ms"));

        // the ack that counts the article comes from the producer's thread and can beat the end of the poll
        await().atMost(PATIENCE).until(() -> status(service, path).produced() == 1
                && status(service, path).consecutiveFailures() == 0);

        FeedStatus status = status(service, path);
        assertThat(status.errors()).isEqualTo(2);
        assertThat(status.consecutiveFailures()).isZero();
        assertThat(status.lastError()).startsWith("http-500");
        assertThat(service.counters().errorsByFeed()).containsEntry(server.url(path).toString(), 2L);
    }

    @Test
    void shouldHonourRetryAfterOn429() {
        String path = "/busy/feed.xml";
        byte[] rss = Feeds.rss("Busy", List.of(Item.of("https://busy.fictional.example/1", "Patience pays", "Later")))
                .getBytes(StandardCharsets.UTF_8);
        server.on(path, (exchange, n) -> {
            if (n == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.sendResponseHeaders(429, -1);
            } else {
                FeedServer.send(exchange, 200, "application/rss+xml", rss);
            }
        });
        IngestService service = service("seen.busy", Map.of("ingest.backoff.base.ms", "50"), feed(path, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, path).produced() == 1);

        List<FeedServer.Request> requests = server.requests(path);
        assertThat(Duration.ofNanos(requests.get(1).nanoTime() - requests.get(0).nanoTime()))
                .as("second request waited for Retry-After, not the 200 ms interval")
                .isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(status(service, path).lastError()).startsWith("rate-limited");
    }

    @Test
    void shouldDeadLetterBadItemsOnceAndProduceTheValidOnes() {
        String path = "/mixed/feed.xml";
        byte[] document = withInvalidUtf8("""
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Mixed</title><link>https://mixed.fictional.example/</link><description>d</description>
                  <item><title>Valid first</title><link>https://mixed.fictional.example/1</link></item>
                  <item><title>Orphan</title><description>no link, no guid</description></item>
                  <item><title>Undated</title><link>https://mixed.fictional.example/3</link><pubDate>someday soon</pubDate></item>
                  <item><title>Garbled</title><link>https://mixed.fictional.example/4</link><description>na@BAD@ve</description></item>
                  <item><title>Valid last</title><guid isPermaLink="false">mixed-5</guid></item>
                </channel></rss>
                """);
        server.on(path, FeedServer.ok("application/rss+xml", document));
        IngestService service = service("seen.mixed", Map.of(), feed(path, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, path).polls() >= 3);
        service.close();

        assertThat(articles(path)).extracting(r -> r.value().getTitle()).containsExactlyInAnyOrder("Valid first", "Valid last");
        List<ConsumerRecord<String, DeadLetter>> dead = deadLetters(path);
        assertThat(dead).as("each bad item once, not once per poll")
                .extracting(r -> TopicReader.header(r, DeadLetters.HEADER_REASON))
                .containsExactlyInAnyOrder("missing-link", "invalid-date", "invalid-utf8");
        assertThat(dead).allSatisfy(r -> {
            assertThat(r.value().getOrigin()).isEqualTo(server.url(path).toString());
            assertThat(r.value().getService()).isEqualTo("ingest");
        });
        assertThat(status(service, path).deadLettered()).isEqualTo(3);
        assertThat(status(service, path).errors()).isZero();
    }

    @Test
    void shouldDeadLetterXxeAndBillionLaughsDocumentsWithoutExpandingThem() {
        String probe = "/xxe/probe.txt";
        String xxe = "/xxe/feed.xml";
        String laughs = "/laughs/feed.xml";
        server.on(probe, FeedServer.ok("text/plain", "LEAKED"));
        server.on(xxe, FeedServer.ok("application/rss+xml", """
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY probe SYSTEM "%s">]>
                <rss version="2.0"><channel><title>&probe;</title>
                  <item><title>&probe;</title><link>https://xxe.fictional.example/1</link></item>
                </channel></rss>""".formatted(server.url(probe))));
        StringBuilder entities = new StringBuilder("<!ENTITY l0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            entities.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        server.on(laughs, FeedServer.ok("application/rss+xml", "<?xml version=\"1.0\"?><!DOCTYPE rss [" + entities
                + "]><rss version=\"2.0\"><channel><title>&l9;</title><item><title>&l9;</title>"
                + "<link>https://laughs.fictional.example/1</link></item></channel></rss>"));
        IngestService service = service("seen.hostile", Map.of(), feed(xxe, "200ms"), feed(laughs, "200ms"));

        await().atMost(PATIENCE).until(() -> status(service, xxe).polls() >= 2 && status(service, laughs).polls() >= 2);
        service.close();

        assertThat(server.count(probe)).as("the external entity was never fetched").isZero();
        assertThat(articles(xxe)).isEmpty();
        assertThat(articles(laughs)).isEmpty();
        assertThat(deadLetters(xxe)).as("one dead letter per document, not per poll").singleElement()
                .satisfies(r -> assertThat(r.value().getReason()).isEqualTo("doctype-forbidden"));
        assertThat(deadLetters(laughs)).singleElement()
                .satisfies(r -> assertThat(r.value().getReason()).isEqualTo("doctype-forbidden"));
        assertThat(status(service, xxe).errors()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldNotReproduceAfterARestartWithTheSameSeenTopic() {
        String path = "/restart/feed.xml";
        AtomicReference<String> document = new AtomicReference<>(Feeds.rss("Restart", List.of(
                Item.of("https://restart.fictional.example/a", "Tram line opens", "First rides"),
                Item.of("https://restart.fictional.example/b", "Museum reopens", "New wing"))));
        server.on(path, (exchange, n) -> FeedServer.send(exchange, 200, "application/rss+xml",
                document.get().getBytes(StandardCharsets.UTF_8)));
        IngestService first = service("seen.restart", Map.of(), feed(path, "200ms"));
        await().atMost(PATIENCE).until(() -> status(first, path).produced() == 2);
        first.close();

        document.set(Feeds.rss("Restart", List.of(
                Item.of("https://restart.fictional.example/a", "Tram line opens", "First rides"),
                Item.of("https://restart.fictional.example/b", "Museum reopens", "New wing, free entry"),
                Item.of("https://restart.fictional.example/c", "Bakery wins prize", "Best loaf"))));
        IngestService second = service("seen.restart", Map.of(), feed(path, "200ms"));
        await().atMost(PATIENCE).until(() -> status(second, path).polls() >= 2 && status(second, path).produced() == 2);
        second.close();

        assertThat(status(second, path).updates()).isEqualTo(1);
        assertThat(articles(path)).extracting(r -> r.value().getCanonicalUrl()).containsExactlyInAnyOrder(
                "https://restart.fictional.example/a", "https://restart.fictional.example/b",
                "https://restart.fictional.example/b", "https://restart.fictional.example/c");
    }

    @Test
    void shouldReportReadyAndCountIngestedArticlesOnTheOpsEndpoints() throws Exception {
        String path = "/ops/feed.xml";
        server.on(path, (exchange, n) -> FeedServer.send(exchange, 200, "application/rss+xml", Feeds.rss("Ops", List.of(
                Item.of("https://ops.fictional.example/1", "Harbour reopens", "Ferries run again"),
                Item.of("https://ops.fictional.example/2", "Bridge repainted", "Work ends early"))).getBytes(StandardCharsets.UTF_8)));
        HttpClient http = HttpClient.newHttpClient();

        try (IngestProcess process = new IngestProcess(config("seen.ops", Map.of(), feed(path, "200ms")),
                InetSocketAddress.createUnresolved("127.0.0.1", 0))) {
            process.start();
            URI ops = process.opsUri().orElseThrow();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(get(http, ops, "health/ready").statusCode()).isEqualTo(200));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(get(http, ops, "metrics").body())
                    .contains("newsline_ingest_articles_total{feed=\"" + path + "\",outcome=\"new\",service=\"ingest\"} 2.0")
                    .contains("newsline_ingest_polls_total{feed=\"" + path + "\",service=\"ingest\"}")
                    .contains("kafka_producer_record_send_total{", "jvm_memory_used_bytes{")
                    // the dedup memory's own producer is measured too
                    .containsPattern("kafka_producer_record_send_total\\{[^}]*client_id=\"[^\"]*-seen\""));

            process.close();
            assertThat(process.notReady()).hasValue("stopping");
        }
    }

    private IngestService service(String seenTopic, Map<String, String> overrides, String... feeds) {
        IngestService service = new IngestService(config(seenTopic, overrides, feeds));
        services.add(service);
        service.start();
        return service;
    }

    private static IngestConfig config(String seenTopic, Map<String, String> overrides, String... feeds) {
        Map<String, String> values = new HashMap<>();
        values.put(IngestConfig.FEEDS, String.join(",", feeds));
        values.put(IngestConfig.HTTP_ALLOWED_HOSTS, "127.0.0.1");
        values.put(IngestConfig.BACKOFF_BASE_MS, "100");
        values.put(IngestConfig.BACKOFF_MAX_MS, "2000");
        values.put(IngestConfig.HTTP_READ_TIMEOUT_MS, "5000");
        values.put(IngestConfig.SEEN_TOPIC, seenTopic);
        values.put(IngestConfig.SEEN_PARTITIONS, "1");
        values.put(IngestConfig.SHUTDOWN_TIMEOUT_MS, "5000");
        values.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        values.putAll(overrides);
        return IngestConfig.fromValues(values);
    }

    private static HttpResponse<String> get(HttpClient http, URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String feed(String path, String interval) {
        return server.url(path) + "|" + path + "|" + interval;
    }

    private static FeedStatus status(IngestService service, String path) {
        String url = server.url(path).toString();
        return service.feeds().stream().filter(f -> f.url().equals(url)).findFirst().orElseThrow();
    }

    private static List<ConsumerRecord<String, RawArticle>> articles(String path) {
        String url = server.url(path).toString();
        return TopicReader.readAll(kafka.bootstrapServers(), Topics.ARTICLES_RAW, r -> url.equals(r.value().getFeedUrl()));
    }

    private static List<ConsumerRecord<String, DeadLetter>> deadLetters(String path) {
        String url = server.url(path).toString();
        return TopicReader.readAll(kafka.bootstrapServers(), Topics.INGEST_DLQ,
                r -> url.equals(TopicReader.header(r, DeadLetters.HEADER_ORIGIN)));
    }

    private static byte[] withInvalidUtf8(String document) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] parts = document.split("@BAD@", -1);
        for (int i = 0; i < parts.length; i++) {
            out.writeBytes(parts[i].getBytes(StandardCharsets.UTF_8));
            if (i < parts.length - 1) {
                out.writeBytes(new byte[] {(byte) 0xE2, (byte) 0x82});
            }
        }
        return out.toByteArray();
    }
}
