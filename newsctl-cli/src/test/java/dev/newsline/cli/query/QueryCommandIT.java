package dev.newsline.cli.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsline.cli.NewsCtl;
import dev.newsline.sink.SinkConfig;
import dev.newsline.sink.http.ApiAddressFile;
import dev.newsline.sink.query.QueryJson;
import dev.newsline.sink.store.ArticleStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `newsctl query` as a user runs it, in-process, on an embedded store written by the sink's own store code. */
class QueryCommandIT {

    @TempDir
    Path dataDir;

    private Path store;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void writeTheStore() {
        store = QuerySources.localStore(dataDir);
        try (ArticleStore writer = ArticleStore.open(SinkConfig.h2Url(store), null, null, 1)) {
            writer.apply(Fixtures.records(), "query-it");
        }
    }

    @Test
    void shouldListTheLatestArticlesAsATableOrAsJson() {
        Run table = query("latest", "--limit", "2");

        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out().lines()).containsExactly(
                "Latest articles",
                "PUBLISHED (UTC)    TONE  SOURCE              TITLE                                                         URL",
                "2024-05-07 09:00  -0.33  Example Gazette     Council backs the mayor                                       https://news.example.org/council",
                "2024-05-07 08:00  -0.33  Example Gazette     Tunnel plan: Varga stands firm                                https://news.example.org/day2");

        Run json = query("latest", "--entity", "per:elena-varga", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode answer = QueryJson.parse(json.out());
        assertThat(answer.get("entity").get("name").asText()).isEqualTo("Elena Varga");
        assertThat(ids(answer.get("articles"), "id")).containsExactly("day2", "day1");
    }

    @Test
    void shouldFindAnEntityByNameAndShowItsStancesAsHolderAndAsTarget() {
        Run run = query("stances", "ELENA varga");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("Elena Varga (per:elena-varga, PERSON), in articles from 2024-05-06 08:00 to 2024-05-07 08:00 UTC")
                .contains("As holder: 2 stances")
                .contains("2024-05-07 08:00  OPPOSE    the harbour tunnel plan               rejected              0.80")
                .contains("    \"Mayor Elena Varga rejected the harbour tunnel plan on Tuesday.\"")
                .contains("As target: 1 stance")
                .contains("2024-05-07 09:00  Northbridge Council                   SUPPORT   backed                0.80")
                .contains("    \"The Northbridge Council backed Elena Varga on the ferry budget.\"");
    }

    @Test
    void shouldRankEntitiesInAPeriodAndDrawAnEntitysTrend() {
        Run top = query("top", "--from", "2024-05-06", "--to", "2024-05-07T08:30:00Z");

        assertThat(top.exit()).as(top.err()).isZero();
        assertThat(top.out().lines()).containsExactly(
                "Top entities, 2024-05-06 00:00 to 2024-05-07 08:30 UTC",
                "   #  ENTITY                                NAME                          TYPE          ARTICLES  SENTIMENT",
                "   1  org:northbridge-council               Northbridge Council           ORGANIZATION         2      +0.30",
                "   2  per:elena-varga                       Elena Varga                   PERSON               2      -0.40");

        Run trend = query("trend", "per:elena-varga");
        assertThat(trend.exit()).as(trend.err()).isZero();
        assertThat(trend.out().lines()).containsExactly(
                "Elena Varga (per:elena-varga, PERSON): hourly trend, all time, 3 windows",
                "WINDOW (UTC)      ARTICLES  SENTIMENT",
                "2024-05-06 08:00         1      -0.40  #############",
                "2024-05-06 09:00         2      -0.40  ###########################",
                "2024-05-06 10:00         3      -0.40  ########################################");
    }

    @Test
    void shouldSayWhatIsWrongAndExitNonZero() {
        Run noStore = query("latest", "--data-dir", dataDir.resolve("elsewhere").toString());
        assertThat(noStore.exit()).isEqualTo(1);
        assertThat(noStore.err()).contains("No store at").contains("newsctl up");

        Run badLimit = query("latest", "--limit", "0");
        assertThat(badLimit.exit()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--limit").contains("from 1 to 1000");

        Run badTime = query("top", "--from", "last tuesday");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("--from").contains("last tuesday");

        Run backwards = query("trend", "per:elena-varga", "--from", "2024-05-07", "--to", "2024-05-06");
        assertThat(backwards.exit()).isEqualTo(2);
        assertThat(backwards.err()).contains("must be after --from");

        Run ambiguous = query("stances", "georgia");
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("loc:georgia (LOCATION)").contains("per:georgia (PERSON)");

        Run unknown = query("trend", "per:nobody");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no entity with id or name 'per:nobody'");
        assertThat(unknown.out()).isEmpty();
    }

    /**
     * While 'newsctl up' runs, its sink holds the H2 file. A real sink process (SinkService's own
     * main, its Kafka unreachable, which does not matter for reading) holds it here; every
     * answer must come through its HTTP API and be exactly the answer read directly.
     */
    @Test
    void shouldAskTheRunningSinksHttpApiWhileItHoldsTheStore() throws Exception {
        List<String[]> questions = List.of(
                new String[] {"latest", "--json"},
                new String[] {"latest", "--entity", "Elena Varga", "--json"},
                new String[] {"top", "--from", "2024-05-06", "--json"},
                new String[] {"stances", "per:elena-varga", "--json"},
                new String[] {"trend", "per:elena-varga", "--limit", "2", "--json"},
                new String[] {"stances", "per:elena-varga"});
        List<String> direct = new ArrayList<>();
        for (String[] question : questions) {
            Run run = query(question);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            direct.add(run.out());
        }

        Path addressFile = ApiAddressFile.forStore(SinkConfig.h2Url(store)).orElseThrow();
        Process sink = startSinkProcess();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> ApiAddressFile.read(addressFile).isPresent());

            for (int i = 0; i < questions.size(); i++) {
                Run run = query(questions.get(i));
                assertThat(run.exit()).as(run.err()).isZero();
                assertThat(run.err()).contains("asking its HTTP API at " + ApiAddressFile.read(addressFile).get());
                assertThat(run.out()).isEqualTo(direct.get(i));
            }
            Run unknown = query("stances", "per:nobody");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("no entity with id or name 'per:nobody'");
            // finding the file locked leaves nothing behind (H2 would log each attempt to a trace file)
            assertThat(store.resolveSibling("newsline.trace.db")).doesNotExist();
        } finally {
            sink.destroy();
            assertThat(sink.waitFor(60, TimeUnit.SECONDS)).as("sink process stopped").isTrue();
        }
        assertThat(addressFile).doesNotExist();
        assertThat(query("latest", "--json").out()).isEqualTo(direct.get(0));
    }

    private Process startSinkProcess() throws IOException {
        Path config = dataDir.resolve("sink.properties");
        Files.writeString(config, SinkConfig.JDBC_URL + "=" + SinkConfig.h2Url(store) + "\n"
                + SinkConfig.HTTP_PORT + "=" + freePort() + "\n"
                + SinkConfig.KAFKA_BOOTSTRAP_SERVERS + "=127.0.0.1:" + freePort() + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.newsline.sink.SinkService", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("sink-process.log").toFile())
                .start();
    }

    private Run query(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NewsCtl());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("query"));
        all.addAll(List.of(args));
        if (!all.contains("--data-dir")) {
            all.addAll(List.of("--data-dir", dataDir.toString()));
        }
        int exit = cli.execute(all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get(field).asText()));
        return ids;
    }
}
