package dev.newsline.cli.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.newsline.sink.query.Answers;
import dev.newsline.sink.query.QueryJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Answers from a running sink's HTTP API ({@link dev.newsline.sink.http.SinkHttpServer}). */
public final class ApiQuerySource implements QuerySource {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    public ApiQuerySource(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public Answers.Latest latest(String entityOrNull, int limit) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("entity", entityOrNull);
        params.put("limit", String.valueOf(limit));
        return QueryJson.latest(get("api/articles", params));
    }

    @Override
    public Answers.Top top(Instant from, Instant to, int limit) {
        return QueryJson.top(get("api/entities/top", period(from, to, limit)));
    }

    @Override
    public Answers.Stances stances(String entity, int limit) {
        return QueryJson.stances(get("api/entities/" + segment(entity) + "/stances",
                Map.of("limit", String.valueOf(limit))));
    }

    @Override
    public Answers.Trend trend(String entity, Instant from, Instant to, int limit) {
        return QueryJson.trend(get("api/entities/" + segment(entity) + "/trend", period(from, to, limit)));
    }

    @Override
    public String describe() {
        return "the sink's HTTP API at " + base;
    }

    @Override
    public void close() {
        // the JDK client holds no connection open between requests worth closing
    }

    private static Map<String, String> period(Instant from, Instant to, int limit) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("from", from == null ? null : from.toString());
        params.put("to", to == null ? null : to.toString());
        params.put("limit", String.valueOf(limit));
        return params;
    }

    private JsonNode get(String path, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        URI uri = base.resolve(path + query);
        HttpResponse<String> response;
        try {
            response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ApiException(0, "cannot reach " + describe() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, "interrupted while asking " + describe());
        }
        JsonNode body;
        try {
            body = QueryJson.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new ApiException(response.statusCode(), describe() + " answered HTTP " + response.statusCode()
                    + " without JSON; is that a Newsline sink?");
        }
        if (response.statusCode() != 200) {
            JsonNode error = body.get("error");
            throw new ApiException(response.statusCode(), error == null ? "HTTP " + response.statusCode()
                    : error.asText());
        }
        return body;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The API refused or could not answer; {@link #status()} is 0 when it could not be reached. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
