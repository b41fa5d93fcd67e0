package dev.newsline.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestConfigTest {

    @Test
    void shouldReadFeedsInlineAndFromAFileWithDefaults(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("feeds.txt");
        Files.writeString(list, """
                # fictional outlets
                https://one.fictional.example/rss.xml   | One Daily  | 90s

                https://two.fictional.example/atom.xml  | Two Weekly
                https://three.fictional.example/feed.json |          | PT2M
                """);

        IngestConfig config = IngestConfig.fromValues(Map.of(
                "ingest.feeds", "https://inline.fictional.example/a.xml,https://inline2.fictional.example/b.xml|Second|1500ms",
                "ingest.feeds.file", list.toString(),
                "ingest.poll.interval.ms", "600000",
                "kafka.bootstrap.servers", "127.0.0.1:9092",
                "sink.batch.size", "10"));

        assertThat(config.feeds()).containsExactly(
                new FeedSpec(URI.create("https://inline.fictional.example/a.xml"), "inline.fictional.example", Duration.ofMinutes(10)),
                new FeedSpec(URI.create("https://inline2.fictional.example/b.xml"), "Second", Duration.ofMillis(1500)),
                new FeedSpec(URI.create("https://one.fictional.example/rss.xml"), "One Daily", Duration.ofSeconds(90)),
                new FeedSpec(URI.create("https://two.fictional.example/atom.xml"), "Two Weekly", Duration.ofMinutes(10)),
                new FeedSpec(URI.create("https://three.fictional.example/feed.json"), "three.fictional.example", Duration.ofMinutes(2)));
        assertThat(config.kafkaSettings()).containsEntry("bootstrap.servers", "127.0.0.1:9092");
        assertThat(config.fetchSettings().maxRedirects()).isEqualTo(5);
        assertThat(config.fetchSettings().maxBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.seenTopic().name()).isEqualTo("news.ingest.seen");
        assertThat(config.seenTopic().compacted()).isTrue();
    }

    @Test
    void shouldLetEnvironmentAndOverridesWin(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("news.properties");
        Files.writeString(props, "ingest.http.max.bytes=2048\ningest.http.allowed.hosts=10.0.0.0/8\n");

        IngestConfig config = IngestConfig.load(props, Map.of("NEWS_INGEST_HTTP_MAX_BYTES", "4096"),
                Map.of("ingest.http.max.redirects", "2"));

        assertThat(config.fetchSettings().maxBytes()).isEqualTo(4096);
        assertThat(config.fetchSettings().maxRedirects()).isEqualTo(2);
        assertThat(config.feeds()).isEmpty();
    }

    @Test
    void shouldFailFastNamingTheKey(@TempDir Path dir) throws Exception {
        Path badList = dir.resolve("feeds.txt");
        Files.writeString(badList, "https://ok.fictional.example/rss\nhttps://bad.fictional.example/rss | Bad | soon\n");

        assertConfigError(Map.of("ingest.feeds.file", badList.toString()), "ingest.feeds.file", "line 2");
        assertConfigError(Map.of("ingest.feeds.file", dir.resolve("missing.txt").toString()), "ingest.feeds.file");
        assertConfigError(Map.of("ingest.feeds", "ftp://files.fictional.example/feed"), "ingest.feeds", "http");
        assertConfigError(Map.of("ingest.feeds", "https://a.fictional.example/x,https://a.fictional.example/x"),
                "ingest.feeds", "twice");
        assertConfigError(Map.of("ingest.http.max.redirect", "3"), "ingest.http.max.redirect");
        assertConfigError(Map.of("ingest.http.max.redirects", "50"), "ingest.http.max.redirects");
        assertConfigError(Map.of("ingest.backoff.base.ms", "60000", "ingest.backoff.max.ms", "1000"), "ingest.backoff.max.ms");
        assertConfigError(Map.of("ingest.http.allowed.hosts", "10.0.0.0/99"), "ingest.http.allowed.hosts");
        assertConfigError(Map.of("ingest.feeds", "https://a.fictional.example/x|A|10ms"), "ingest.feeds", "shorter");
    }

    @Test
    void shouldDeclareEveryKeyOnceWithADoc() {
        var def = IngestConfig.configDef();
        assertThat(def.names()).allMatch(k -> k.startsWith("ingest."));
        def.configKeys().values().forEach(k -> assertThat(k.documentation).as(k.name).isNotBlank());
    }

    @Test
    void shouldParseIntervalsInEveryAcceptedForm() {
        assertThat(FeedList.parseInterval("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(FeedList.parseInterval("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(FeedList.parseInterval("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(FeedList.parseInterval("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(FeedList.parseInterval("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> FeedList.parseInterval("often")).hasMessageContaining("often");
    }

    private static void assertConfigError(Map<String, String> values, String key, String... detail) {
        Map<String, String> all = new HashMap<>(values);
        assertThatThrownBy(() -> IngestConfig.fromValues(all))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .satisfies(e -> {
                    for (String d : detail) {
                        assertThat(e.getMessage()).contains(d);
                    }
                });
    }

    @Test
    void shouldServeHealthAndMetricsOnLoopbackByDefaultAndNameTheKeyOfABadAddress() {
        IngestConfig defaults = IngestConfig.fromValues(Map.of());
        IngestConfig compose = IngestConfig.load(null, Map.of("NEWS_INGEST_HTTP_BIND", "0.0.0.0", "NEWS_INGEST_HTTP_PORT", "0"), Map.of());

        assertThat(defaults.httpPort()).isEqualTo(IngestConfig.DEFAULT_HTTP_PORT);
        assertThat(defaults.httpBind()).isEqualTo("127.0.0.1");
        assertThat(compose.httpBind()).isEqualTo("0.0.0.0");
        assertThat(compose.httpPort()).isZero();
        assertThatThrownBy(() -> IngestConfig.fromValues(Map.of("ingest.http.port", "65536")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.http.port");
        assertThatThrownBy(() -> IngestConfig.fromValues(Map.of("ingest.http.bind", "0.0.0.0 8086")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ingest.http.bind");
    }
}
