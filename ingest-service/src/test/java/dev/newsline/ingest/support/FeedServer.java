package dev.newsline.ingest.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server on 127.0.0.1 (the JDK's), serving what each test registers per path and
 * recording every request. Handlers run on their own threads, so a hanging one blocks no other.
 */
public final class FeedServer implements AutoCloseable {

    /** A request as received: path, headers (lower-case names) and arrival time. */
    public record Request(String path, Map<String, String> headers, long nanoTime) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Answers the n-th request (1-based) to a path. */
    @FunctionalInterface
    public interface Responder {
        void respond(HttpExchange exchange, int n) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "feed-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Released on close, so that handlers told to hang let go. */
    private final CountDownLatch closing = new CountDownLatch(1);

    private FeedServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public static FeedServer start() {
        return new FeedServer();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public FeedServer on(String path, Responder responder) {
        responders.put(path, responder);
        return this;
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public int count(String path) {
        AtomicInteger n = counts.get(path);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        requests.add(new Request(path, Map.copyOf(headers), System.nanoTime()));
        int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        try {
            Responder responder = responders.get(path);
            if (responder == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                responder.respond(exchange, n);
            }
        } catch (IOException e) {
            // the client went away (timeouts, size cap): expected in these tests
        } finally {
            exchange.close();
        }
    }

    // ---- responders ----

    public static Responder ok(String contentType, String body, String... headerPairs) {
        return ok(contentType, body.getBytes(StandardCharsets.UTF_8), headerPairs);
    }

    public static Responder ok(String contentType, byte[] body, String... headerPairs) {
        return (exchange, n) -> send(exchange, 200, contentType, body, headerPairs);
    }

    public static Responder status(int status, String... headerPairs) {
        return (exchange, n) -> {
            for (int i = 0; i + 1 < headerPairs.length; i += 2) {
                exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
            }
            exchange.sendResponseHeaders(status, -1);
        };
    }

    public static Responder redirect(int status, String location) {
        return status(status, "Location", location);
    }

    /** Never answers until the server closes. */
    public Responder hang() {
        return (exchange, n) -> awaitClose();
    }

    /** Sends the headers and the first part of the body, then stalls until the server closes. */
    public Responder stallMidBody(String contentType, byte[] firstPart) {
        return (exchange, n) -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(firstPart);
            out.flush();
            awaitClose();
        };
    }

    public static void send(HttpExchange exchange, int status, String contentType, byte[] body, String... headerPairs)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", contentType);
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void awaitClose() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
