package dev.newsline.sink.http;

import static dev.newsline.sink.testing.TestArticle.BASE_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.newsline.model.EnrichedArticle;
import dev.newsline.model.EntityType;
import dev.newsline.model.StancePolarity;
import dev.newsline.sink.query.SinkQueries;
import dev.newsline.sink.store.ArticleStore;
import dev.newsline.sink.store.StoredRecord;
import dev.newsline.sink.testing.Backend;
import dev.newsline.sink.testing.TestArticle;
import dev.newsline.sink.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HTTP API on a real server and a real store, through the JDK's HTTP client. */
class SinkHttpServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "news.articles.enriched";
    private static final String TRENDS = "news.entity.trends";

    @TempDir
    Path tempDir;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private URI base;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldAnswerEveryQueryAsJson(Backend backend) throws Exception {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore();
             SinkHttpServer server = serve(store)) {
            fill(store);

            HttpResponse<String> latest = get("/api/articles?limit=2");
            assertThat(latest.statusCode()).isEqualTo(200);
            assertThat(latest.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            JsonNode articles = json(latest);
            assertThat(articles.get("entity").isNull()).isTrue();
            assertThat(ids(articles.get("articles"), "id")).containsExactly("council-only", "day2");
            JsonNode first = articles.get("articles").get(0);
            assertThat(first.get("published").asText()).isEqualTo("2024-05-07T09:00:00Z");
            assertThat(first.get("url").asText()).isEqualTo("https://news.example.org/council-only");
            assertThat(first.get("tonePolarity").asDouble()).isEqualTo(-1.0 / 3);

            JsonNode forVarga = json(get("/api/articles?entity=per:elena-varga"));
            assertThat(forVarga.get("entity").get("name").asText()).isEqualTo("Elena Varga");
            assertThat(ids(forVarga.get("articles"), "id")).containsExactly("day2", "day1");
            assertThat(json(get("/api/articles?entity=elena%20VARGA&limit=20"))).isEqualTo(forVarga);

            JsonNode top = json(get("/api/entities/top?from=2024-05-06&to=2024-05-07T08:30:00Z&limit=5"));
            assertThat(top.get("from").asText()).isEqualTo("2024-05-06T00:00:00Z");
            assertThat(top.get("to").asText()).isEqualTo("2024-05-07T08:30:00Z");
            assertThat(ids(top.get("entities"), "id")).containsExactly("org:northbridge-council", "per:elena-varga");
            assertThat(top.get("entities").get(1).get("articleCount").asLong()).isEqualTo(2);
            assertThat(top.get("entities").get(1).get("meanSentiment").asDouble()).isEqualTo(-0.4);
            assertThat(top.get("entities").get(1).get("type").asText()).isEqualTo("PERSON");

            JsonNode stances = json(get("/api/entities/per:elena-varga/stances"));
            assertThat(stances.get("entity").get("id").asText()).isEqualTo("per:elena-varga");
            assertThat(stances.get("entity").get("firstSeen").asText()).isEqualTo("2024-05-06T08:00:00Z");
            assertThat(ids(stances.get("asHolder"), "articleId")).containsExactly("day2", "day1");
            assertThat(stances.get("asHolder").get(0).get("evidence").asText())
                    .isEqualTo("Mayor Elena Varga rejected the harbour tunnel plan on Tuesday.");
            assertThat(stances.get("asHolder").get(0).get("polarity").asText()).isEqualTo("OPPOSE");
            assertThat(stances.get("asHolder").get(0).get("targetId").isNull()).isTrue();
            assertThat(ids(stances.get("asTarget"), "holderId")).containsExactly("org:northbridge-council");
            assertThat(stances.get("asTarget").get(0).get("cue").asText()).isEqualTo("backed");
            assertThat(json(get("/api/entities/per:elena-varga/stances?limit=1")).get("asHolder")).hasSize(1);

            JsonNode trend = json(get("/api/entities/Elena%20Varga/trend"));
            assertThat(ids(trend.get("points"), "windowStart"))
                    .containsExactly("2024-05-06T08:00:00Z", "2024-05-06T09:00:00Z", "2024-05-06T10:00:00Z");
            assertThat(trend.get("points").get(2).get("articleCount").asLong()).isEqualTo(3);
            JsonNode lastTwo = json(get("/api/entities/per:elena-varga/trend?from=2024-05-06T08:30:00Z&limit=1"));
            assertThat(ids(lastTwo.get("points"), "windowStart")).containsExactly("2024-05-06T10:00:00Z");

            JsonNode entity = json(get("/api/entities/org:northbridge-council"));
            assertThat(entity.get("type").asText()).isEqualTo("ORGANIZATION");
            assertThat(entity.get("lastSeen").asText()).isEqualTo("2024-05-07T09:00:00Z");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldRefuseBadRequestsWithAJsonErrorAndNoInternals(Backend backend) throws Exception {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore();
             SinkHttpServer server = serve(store)) {
            fill(store);

            assertError(get("/api/articles?limit=0"), 400, "'limit'");
            assertError(get("/api/articles?limit=lots"), 400, "'limit'");
            assertError(get("/api/articles?limit=1001"), 400, "from 1 to 1000");
            assertError(get("/api/articles?limt=5"), 400, "unknown parameter 'limt'");
            assertError(get("/api/articles?limit=1&limit=2"), 400, "more than once");
            assertError(get("/api/entities/top?from=yesterday"), 400, "'from'");
            assertError(get("/api/entities/top?from=2024-05-08&to=2024-05-07"), 400, "must be after 'from'");
            assertError(get("/api/entities/per:nobody/stances"), 404, "per:nobody");
            assertError(get("/api/entities/per:elena-varga/friends"), 404, "no such resource");
            assertError(get("/api/nothing"), 404, "no such resource");
            assertError(get("/"), 404, "no such resource");
            assertThat(rawStatusLine("GET /api/articles?entity=%zz HTTP/1.1")).contains(" 400 ");

            HttpResponse<String> ambiguous = get("/api/entities/georgia/trend");
            assertError(ambiguous, 400, "several entities");
            assertThat(ids(json(ambiguous).get("candidates"), "id")).containsExactly("loc:georgia", "per:georgia");

            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/api/articles"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(post, 405, "read-only");
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");

            // a hostile parameter is data, never SQL
            assertError(get("/api/articles?entity=%27%29%3B%20DROP%20TABLE%20articles%3B--"), 404, "DROP TABLE");
            assertThat(store.articleCount()).isEqualTo(5);

            store.close();
            HttpResponse<String> down = get("/api/articles");
            assertError(down, 503, "store is unavailable");
            assertThat(down.body()).doesNotContain("Exception", "SQL", "Hikari", "\tat ");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void shouldReportLivenessAlwaysAndReadinessFromTheSink(Backend backend) throws Exception {
        try (TestDatabase db = backend.open(tempDir); ArticleStore store = db.openStore();
             SinkHttpServer server = serve(store)) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> up = get("/health/ready");
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(json(up).get("status").asText()).isEqualTo("UP");
            assertThat(json(up).get("written").asLong()).isEqualTo(7);

            ready.set(false);
            HttpResponse<String> down = get("/health/ready");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(json(down).get("status").asText()).isEqualTo("DOWN");
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            assertError(get("/health/ready?verbose=1"), 400, "takes none");
        }
    }

    private SinkHttpServer serve(ArticleStore store) throws IOException {
        SinkHttpServer server = SinkHttpServer.start(new InetSocketAddress("127.0.0.1", 0), new SinkQueries(store),
                ready::get, () -> Map.of("written", 7L));
        base = server.baseUri();
        return server;
    }

    /**
     * Five articles over two days: Elena Varga in day1 and day2 (holding a stance in each), the
     * council in those and in council-only (where it backs Varga), and two entities named Georgia.
     */
    private static void fill(ArticleStore store) {
        EnrichedArticle councilOnly = TestArticle.builder("council-only").published(BASE_TIME.plus(Duration.ofHours(25)))
                .entity("org:northbridge-council", "Northbridge Council", EntityType.ORGANIZATION, 0.9,
                        "Northbridge Council")
                .stance("org:northbridge-council", "Northbridge Council", "per:elena-varga", "Elena Varga",
                        StancePolarity.SUPPORT, "backed")
                .build();
        EnrichedArticle georgias = TestArticle.builder("georgias").published(BASE_TIME.minus(Duration.ofDays(30)))
                .entity("loc:georgia", "Georgia", EntityType.LOCATION, 0.0)
                .entity("per:georgia", "Georgia", EntityType.PERSON, 0.0)
                .build();
        EnrichedArticle undated = TestArticle.builder("undated").published(null).build();
        List<StoredRecord> batch = new ArrayList<>();
        batch.add(StoredRecord.article(TOPIC, 0, 0, TestArticle.typical("day1", BASE_TIME)));
        batch.add(StoredRecord.article(TOPIC, 0, 1, TestArticle.typical("day2", BASE_TIME.plus(Duration.ofDays(1)))));
        batch.add(StoredRecord.article(TOPIC, 0, 2, councilOnly));
        batch.add(StoredRecord.article(TOPIC, 0, 3, georgias));
        batch.add(StoredRecord.article(TOPIC, 0, 4, undated));
        for (int h = 0; h < 3; h++) {
            batch.add(StoredRecord.trend(TRENDS, 0, h, TestArticle.trend("per:elena-varga",
                    BASE_TIME.plus(Duration.ofHours(h)), h + 1, -0.4)));
        }
        store.apply(batch, "http-it");
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base.toString().replaceFirst("/$", "") + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** For requests the JDK client refuses to send. */
    private String rawStatusLine(String requestLine) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        return JSON.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("error").asText()).contains(messagePart);
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }
}
