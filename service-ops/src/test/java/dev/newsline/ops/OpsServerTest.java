package dev.newsline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints over real HTTP, one server for all tests (bound to 127.0.0.1 on a free port). */
class OpsServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicBoolean CONNECTED = new AtomicBoolean(true);
    private static final AtomicBoolean CAUGHT_UP = new AtomicBoolean(true);

    private static ServiceMeters meters;
    private static OpsServer server;

    @BeforeAll
    static void start() throws Exception {
        meters = ServiceMeters.create("test");
        Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
        checks.put("kafka", ReadinessCheck.of(CONNECTED::get, "no broker reachable"));
        checks.put("caught-up", () -> CAUGHT_UP.get() ? Optional.empty() : Optional.of("loading \"seen\" store"));
        server = OpsServer.start("127.0.0.1", 0, meters.registry(), checks);
    }

    @AfterAll
    static void stop() {
        server.close();
        meters.close();
    }

    @Test
    void shouldListenOnTheFreePortItPicked() {
        assertThat(server.address().getPort()).isPositive();
        assertThat(server.baseUri().toString()).isEqualTo("http://127.0.0.1:" + server.address().getPort() + "/");
    }

    @Test
    void shouldAnswerLiveWhileServing() throws Exception {
        HttpResponse<String> live = get(OpsServer.LIVE);

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("{\"status\":\"UP\"}");
        assertThat(live.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    }

    @Test
    void shouldTurnReadyTo503NamingTheFailingChecksAndBackTo200() throws Exception {
        assertThat(get(OpsServer.READY).statusCode()).isEqualTo(200);
        assertThat(get(OpsServer.READY).body())
                .isEqualTo("{\"status\":\"UP\",\"failing\":{},\"passing\":[\"kafka\",\"caught-up\"]}");

        CONNECTED.set(false);
        CAUGHT_UP.set(false);
        try {
            HttpResponse<String> down = get(OpsServer.READY);
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("{\"status\":\"DOWN\",\"failing\":{\"kafka\":\"no broker reachable\","
                    + "\"caught-up\":\"loading \\\"seen\\\" store\"},\"passing\":[]}");

            CONNECTED.set(true);
            assertThat(get(OpsServer.READY).body()).contains("\"failing\":{\"caught-up\":").contains("\"passing\":[\"kafka\"]");
        } finally {
            CONNECTED.set(true);
            CAUGHT_UP.set(true);
        }
        assertThat(get(OpsServer.READY).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldCountACheckThatThrowsAsFailing() throws Exception {
        try (ServiceMeters own = ServiceMeters.create("test");
             OpsServer broken = OpsServer.start("127.0.0.1", 0, own.registry(),
                     Map.of("state", () -> { throw new IllegalStateException("boom"); }))) {
            HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(broken.baseUri().resolve(OpsServer.READY)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"state\":\"check failed: IllegalStateException\"");
        }
    }

    @Test
    void shouldServeRegisteredAndJvmMetricsInThePrometheusTextFormat() throws Exception {
        Counter counter = Counter.builder("newsline.test.articles").tag("outcome", "new").register(meters.registry());
        counter.increment(3);

        HttpResponse<String> metrics = get(OpsServer.METRICS);

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
                .contains("newsline_test_articles_total{outcome=\"new\",service=\"test\"} 3.0")
                .contains("jvm_memory_used_bytes{", "jvm_gc_max_data_size_bytes{", "jvm_threads_live_threads{",
                        "system_cpu_count{", "process_uptime_seconds{");
    }

    @Test
    void shouldAnswerHeadWithoutABody() throws Exception {
        HttpResponse<String> head = HTTP.send(request(OpsServer.READY).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void shouldRefuseOtherPathsWith404AndOtherMethodsWith405() throws Exception {
        HttpResponse<String> missing = get("/health");
        HttpResponse<String> post = HTTP.send(request(OpsServer.METRICS).POST(HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).startsWith("{\"status\":404,\"error\":");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(post.body()).startsWith("{\"status\":405,\"error\":");
    }

    @Test
    void shouldServeMetricsAloneOnAServerOfItsOwn() throws Exception {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext(OpsServer.METRICS, OpsServer.metricsHandler(meters.registry()));
        other.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + other.getAddress().getPort());
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(base.resolve(OpsServer.METRICS)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> below = HTTP.send(HttpRequest.newBuilder(base.resolve(OpsServer.METRICS + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_threads_live_threads{");
            assertThat(below.statusCode()).isEqualTo(404);
        } finally {
            other.stop(0);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.baseUri() + path.substring(1))).timeout(Duration.ofSeconds(10));
    }
}
