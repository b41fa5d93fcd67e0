package dev.newsline.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's operations endpoints, on the JDK's HTTP server:
 * <pre>
 *   GET /health/live    200 {"status":"UP"} while this server runs
 *   GET /health/ready   200 when every readiness check passes, else 503;
 *                       {"status":"UP|DOWN","failing":{"check":"why"},"passing":["check"]}
 *   GET /metrics        the registry in the Prometheus text format (version 0.0.4)
 * </pre>
 * HEAD is answered like GET without a body; any other method on these paths is 405, any other
 * path 404, both with {@code {"status":...,"error":"..."}}. Two daemon threads serve requests, so a
 * slow scrape never holds up a health check for long; nothing is logged per request.
 */
public final class OpsServer implements AutoCloseable {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final int THREADS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final Map<String, ReadinessCheck> checks;

    private OpsServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry registry,
                      Map<String, ReadinessCheck> checks) {
        this.server = server;
        this.executor = executor;
        this.registry = registry;
        this.checks = checks;
    }

    /**
     * Binds {@code host:port} and serves until {@link #close()}.
     *
     * @param host     address to listen on: {@code 127.0.0.1} for this machine only, {@code 0.0.0.0} for all
     * @param port     port to listen on; 0 picks a free one (see {@link #address()})
     * @param registry what {@code /metrics} shows
     * @param checks   readiness checks by name, reported in this order; none means always ready
     * @throws IOException if the address cannot be resolved or bound
     */
    /**
     * A service's endpoints at a configured address: like {@link #start}, but an address that
     * cannot be bound fails start-up with a configuration error naming the two keys.
     */
    public static OpsServer startConfigured(InetSocketAddress address, PrometheusMeterRegistry registry,
                                            String checkName, ReadinessCheck check, String bindKey, String portKey) {
        try {
            return start(address.getHostString(), address.getPort(), registry, Map.of(checkName, check));
        } catch (IOException e) {
            throw new org.apache.kafka.common.config.ConfigException(bindKey + ", " + portKey,
                    address.getHostString() + ":" + address.getPort(), "cannot serve /health and /metrics there ("
                    + e.getMessage() + "); choose another address or port, 0 turns them off");
        }
    }

    public static OpsServer start(String host, int port, PrometheusMeterRegistry registry,
                                  Map<String, ReadinessCheck> checks) throws IOException {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(registry, "registry");
        Map<String, ReadinessCheck> named = new LinkedHashMap<>(Objects.requireNonNull(checks, "checks"));
        named.forEach((name, check) -> Objects.requireNonNull(check, name));
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("unknown host " + host);
        }
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread t = new Thread(task, "newsline-ops-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        OpsServer ops = new OpsServer(server, executor, registry, Collections.unmodifiableMap(named));
        server.createContext("/", ops::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("health and metrics endpoints on {} ({}, {}, {})", ops.baseUri(), LIVE, READY, METRICS);
        return ops;
    }

    /** The address bound, with the actual port when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Where a client on this machine reaches the endpoints, e.g. {@code http://127.0.0.1:8086/}. */
    public URI baseUri() {
        return localUri(server.getAddress());
    }

    /**
     * Where a client on this machine reaches a server bound to {@code bound}: the loopback address
     * when it listens on every interface, IPv6 literals in brackets.
     */
    public static URI localUri(InetSocketAddress bound) {
        InetAddress host = bound.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bound.getAddress();
        String literal = host.getHostAddress();
        if (literal.contains(":")) {
            literal = "[" + literal.replaceFirst("%.*$", "") + "]";
        }
        return URI.create("http://" + literal + ":" + bound.getPort() + "/");
    }

    /** Stops listening at once; requests in progress are cut short. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!LIVE.equals(path) && !READY.equals(path) && !METRICS.equals(path)) {
                send(exchange, 404, JSON, error(404, "no such endpoint; try " + LIVE + ", " + READY + " or " + METRICS), head);
            } else if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, JSON, error(405, method + " is not allowed; use GET"), false);
            } else if (LIVE.equals(path)) {
                send(exchange, 200, JSON, "{\"status\":\"UP\"}", head);
            } else if (READY.equals(path)) {
                ready(exchange, head);
            } else {
                metrics(registry, exchange, head);
            }
        } catch (RuntimeException e) {
            LOG.warn("ops endpoint {} failed: {}", exchange.getRequestURI().getPath(), e.toString(), e);
            throw e;
        }
    }

    private void ready(HttpExchange exchange, boolean head) throws IOException {
        Map<String, String> failing = new LinkedHashMap<>();
        List<String> passing = new ArrayList<>();
        checks.forEach((name, check) -> {
            Optional<String> problem;
            try {
                problem = check.problem();
            } catch (RuntimeException e) {
                LOG.warn("readiness check {} threw {}", name, e.toString(), e);
                problem = Optional.of("check failed: " + e.getClass().getSimpleName());
            }
            if (problem.isPresent()) {
                failing.put(name, problem.get());
            } else {
                passing.add(name);
            }
        });
        StringJoiner failures = new StringJoiner(",", "{", "}");
        failing.forEach((name, why) -> failures.add(Json.quote(name) + ":" + Json.quote(why)));
        StringJoiner passes = new StringJoiner(",", "[", "]");
        passing.forEach(name -> passes.add(Json.quote(name)));
        boolean up = failing.isEmpty();
        String body = "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"failing\":" + failures + ",\"passing\":" + passes + "}";
        send(exchange, up ? 200 : 503, JSON, body, head);
    }

    /**
     * {@code GET /metrics} alone, for a service that already runs an HTTP server of its own
     * ({@code server.createContext(OpsServer.METRICS, OpsServer.metricsHandler(registry))}):
     * the registry in the Prometheus text format; HEAD without a body; other methods 405.
     */
    public static HttpHandler metricsHandler(PrometheusMeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, JSON, error(405, method + " is not allowed; use GET"), false);
                } else if (!METRICS.equals(exchange.getRequestURI().getPath())) {
                    send(exchange, 404, JSON, error(404, "no such endpoint; try " + METRICS), "HEAD".equals(method));
                } else {
                    metrics(registry, exchange, "HEAD".equals(method));
                }
            }
        };
    }

    private static void metrics(PrometheusMeterRegistry registry, HttpExchange exchange, boolean head) throws IOException {
        String text;
        try {
            text = registry.scrape();
        } catch (RuntimeException e) {
            LOG.warn("cannot render the metrics: {}", e.toString(), e);
            send(exchange, 500, JSON, error(500, "cannot render the metrics"), head);
            return;
        }
        send(exchange, 200, PROMETHEUS_TEXT, text, head);
    }

    private static String error(int status, String message) {
        return "{\"status\":" + status + ",\"error\":" + Json.quote(message) + "}";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body, boolean head)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
