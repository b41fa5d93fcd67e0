package dev.newsline.sink.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.newsline.ops.OpsServer;
import dev.newsline.sink.query.QueryException;
import dev.newsline.sink.query.QueryJson;
import dev.newsline.sink.query.SinkQueries;
import dev.newsline.sink.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's HTTP JSON API: the {@link SinkQueries} questions and health, read-only, GET only.
 * <pre>
 *   GET /api/articles?entity=&amp;limit=            latest articles, optionally naming an entity
 *   GET /api/entities/top?from=&amp;to=&amp;limit=       entities in most articles published in [from, to)
 *   GET /api/entities/{entity}                    one entity
 *   GET /api/entities/{entity}/stances?limit=     its stances as holder and as target
 *   GET /api/entities/{entity}/trend?from=&amp;to=&amp;limit=   its hourly windows, oldest first
 *   GET /health/live                              200 while the server runs
 *   GET /health/ready                             200 while the sink is healthy, else 503
 * </pre>
 * {@code {entity}} is an id ({@code per:elena-varga}) or a name matched ignoring case, URL-encoded.
 * Bodies are {@link QueryJson}. A bad or unknown parameter is 400, an unknown path or entity
 * 404, another method 405, an unreachable store 503; error bodies are
 * {@code {"status": ..., "error": "..."}} and never carry stack traces or SQL.
 *
 * <p>Requests are served by two threads, each borrowing a store connection per query.
 */
public final class SinkHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkHttpServer.class);
    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final SinkQueries queries;
    private final BooleanSupplier ready;
    private final Supplier<Map<String, Long>> counters;

    private SinkHttpServer(HttpServer server, ExecutorService executor, SinkQueries queries, BooleanSupplier ready,
                           Supplier<Map<String, Long>> counters) {
        this.server = server;
        this.executor = executor;
        this.queries = queries;
        this.ready = ready;
        this.counters = counters;
    }

    /**
     * Listens on {@code address} (port 0 for any free port) and serves until {@link #close()}.
     *
     * @param ready    whether {@code /health/ready} answers 200
     * @param counters figures reported by {@code /health/ready}
     * @throws IOException if the address cannot be bound
     */
    public static SinkHttpServer start(InetSocketAddress address, SinkQueries queries, BooleanSupplier ready,
                                       Supplier<Map<String, Long>> counters) throws IOException {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(counters, "counters");
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread t = new Thread(task, "newsline-sink-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SinkHttpServer api = new SinkHttpServer(server, executor, queries, ready, counters);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("HTTP API listening on {}", api.baseUri());
        return api;
    }

    /** Serves {@code handler} under {@code path} beside the API (e.g. {@code /metrics}). */
    public void serve(String path, com.sun.net.httpserver.HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Where a client on this machine reaches the API, e.g. {@code http://127.0.0.1:8085/}: the
     * loopback address when the server listens on every interface.
     */
    public URI baseUri() {
        return OpsServer.localUri(server.getAddress());
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
        LOG.info("HTTP API stopped");
    }

    // --- requests ---

    private record Reply(int status, JsonNode body) {
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        Reply reply;
        try {
            reply = route(exchange);
        } catch (QueryException e) {
            int status = e.kind() == QueryException.Kind.UNKNOWN_ENTITY ? 404 : 400;
            reply = error(status, e.getMessage(), e);
        } catch (MethodNotAllowed e) {
            reply = error(405, e.getMessage(), null);
        } catch (BadRequest e) {
            reply = error(400, e.getMessage(), null);
        } catch (StoreException e) {
            LOG.warn("{} {} failed: store unavailable: {}", exchange.getRequestMethod(), exchange.getRequestURI(),
                    e.getMessage());
            reply = error(503, "the store is unavailable; try again later", null);
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = error(500, "internal error", null);
        }
        send(exchange, reply);
        LOG.debug("{} {} -> {} in {} ms", exchange.getRequestMethod(), exchange.getRequestURI(), reply.status(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private Reply route(HttpExchange exchange) {
        List<String> path = segments(exchange.getRequestURI().getRawPath());
        Map<String, String> params = parameters(exchange.getRequestURI().getRawQuery());
        String method = exchange.getRequestMethod();
        if (path.equals(List.of("health", "live"))) {
            requireGet(method, exchange);
            params(params);
            ObjectNode body = QueryJson.object();
            body.put("status", "UP");
            return new Reply(200, body);
        }
        if (path.equals(List.of("health", "ready"))) {
            requireGet(method, exchange);
            params(params);
            boolean up = ready.getAsBoolean();
            ObjectNode body = QueryJson.object();
            body.put("status", up ? "UP" : "DOWN");
            counters.get().forEach(body::put);
            return new Reply(up ? 200 : 503, body);
        }
        if (path.equals(List.of("api", "articles"))) {
            requireGet(method, exchange);
            params(params, "entity", "limit");
            String entity = params.get("entity");
            return ok(QueryJson.toJson(queries.latest(entity == null || entity.isBlank() ? null : entity,
                    limit(params, SinkQueries.DEFAULT_ARTICLES, SinkQueries.MAX_LIMIT))));
        }
        if (path.equals(List.of("api", "entities", "top"))) {
            requireGet(method, exchange);
            params(params, "from", "to", "limit");
            return ok(QueryJson.toJson(queries.top(time(params, "from"), time(params, "to"),
                    limit(params, SinkQueries.DEFAULT_TOP, SinkQueries.MAX_LIMIT))));
        }
        if (path.size() >= 3 && path.size() <= 4 && path.get(0).equals("api") && path.get(1).equals("entities")) {
            String entity = path.get(2);
            String aspect = path.size() == 4 ? path.get(3) : "";
            switch (aspect) {
                case "" -> {
                    requireGet(method, exchange);
                    params(params);
                    return ok(QueryJson.entity(queries.entity(entity)));
                }
                case "stances" -> {
                    requireGet(method, exchange);
                    params(params, "limit");
                    return ok(QueryJson.toJson(queries.stances(entity,
                            limit(params, SinkQueries.DEFAULT_STANCES, SinkQueries.MAX_LIMIT))));
                }
                case "trend" -> {
                    requireGet(method, exchange);
                    params(params, "from", "to", "limit");
                    return ok(QueryJson.toJson(queries.trend(entity, time(params, "from"), time(params, "to"),
                            limit(params, SinkQueries.DEFAULT_TREND_WINDOWS, SinkQueries.MAX_TREND_WINDOWS))));
                }
                default -> {
                    // falls through to 404
                }
            }
        }
        return error(404, "no such resource: " + exchange.getRequestURI().getRawPath(), null);
    }

    private static Reply ok(JsonNode body) {
        return new Reply(200, body);
    }

    private static Reply error(int status, String message, QueryException cause) {
        return new Reply(status, QueryJson.error(status, message, cause == null ? List.of() : cause.candidates()));
    }

    private static void requireGet(String method, HttpExchange exchange) {
        if (!"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET");
            throw new MethodNotAllowed(method);
        }
    }

    private static void params(Map<String, String> given, String... allowed) {
        Set<String> known = Set.of(allowed);
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new BadRequest("unknown parameter '" + name + "'"
                        + (allowed.length == 0 ? "; this resource takes none" : "; expected " + String.join(", ", allowed)));
            }
        }
    }

    private static int limit(Map<String, String> params, int defaultValue, int max) {
        return SinkQueries.parseLimit("limit", params.get("limit"), defaultValue, max);
    }

    private static Instant time(Map<String, String> params, String name) {
        return SinkQueries.parseTime(name, params.get(name));
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : (rawPath == null ? "" : rawPath).split("/")) {
            if (!raw.isEmpty()) {
                // '+' is a literal plus in a path, unlike in a query string
                segments.add(decode(raw.replace("+", "%2B")));
            }
        }
        return segments;
    }

    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.put(name, value) != null) {
                throw new BadRequest("parameter '" + name + "' given more than once");
            }
        }
        return params;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed URL encoding in '" + raw + "'");
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        byte[] body = QueryJson.bytes(reply.body());
        try (exchange) {
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/json; charset=utf-8");
            headers.set("Cache-Control", "no-store");
            headers.set("X-Content-Type-Options", "nosniff");
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length);
            if (!head) {
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            LOG.debug("client went away before the reply to {} was sent: {}", exchange.getRequestURI(), e.toString());
        }
    }

    /** A request this server cannot make sense of; the message goes to the client. */
    private static class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static final class MethodNotAllowed extends BadRequest {
        private static final long serialVersionUID = 1L;

        MethodNotAllowed(String method) {
            super("method " + method + " not allowed; this API is read-only (GET)");
        }
    }
}
