package dev.newsline.ingest.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches feed documents with the JDK HTTP client, asynchronously, so a slow server holds no
 * thread. Conditional GET (If-None-Match / If-Modified-Since; 304 is {@link FetchResult.NotModified}),
 * gzip/deflate decoded here under the size cap, redirects followed by hand (each target checked
 * by the {@link AddressGuard} again, at most {@link FetchSettings#maxRedirects()}), and a deadline
 * on every request that covers the body too. Failures complete the future with a
 * {@link FetchException}; 429 and 503 carry the server's Retry-After.
 */
public final class FeedFetcher {

    static final String ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, "
            + "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Bodies of redirects and errors are read up to this much, then the connection is dropped. */
    private static final int UNUSED_BODY_CAP = 64 * 1024;

    private final FetchSettings settings;
    private final HttpClient client;
    private final Executor lookups;
    private final ScheduledExecutorService timers;

    /**
     * @param lookups runs the guard's DNS lookups, which block; one thread per concurrent fetch at most
     * @param timers  fires request deadlines; its tasks only cancel
     */
    public FeedFetcher(FetchSettings settings, Executor lookups, ScheduledExecutorService timers) {
        this.settings = settings;
        this.lookups = lookups;
        this.timers = timers;
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Fetches {@code url}, sending the validators of the previous document. */
    public CompletableFuture<FetchResult> fetch(URI url, Validators validators) {
        return fetch(url, validators == null ? Validators.NONE : validators, 0);
    }

    private CompletableFuture<FetchResult> fetch(URI url, Validators validators, int redirects) {
        return CompletableFuture.runAsync(() -> settings.guard().check(url), lookups)
                .thenCompose(checked -> exchange(url, validators))
                .thenCompose(response -> {
                    int status = response.statusCode();
                    if (REDIRECTS.contains(status)) {
                        if (redirects >= settings.maxRedirects()) {
                            throw new FetchException("too-many-redirects", "more than " + settings.maxRedirects()
                                    + " redirects, last from " + url, status, null, null);
                        }
                        return fetch(location(url, response), validators, redirects + 1);
                    }
                    return CompletableFuture.completedFuture(result(url, response, validators));
                });
    }

    private CompletableFuture<HttpResponse<byte[]>> exchange(URI url, Validators validators) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .GET()
                .timeout(settings.readTimeout())
                .header("User-Agent", settings.userAgent())
                .header("Accept", ACCEPT)
                .header("Accept-Encoding", "gzip, deflate");
        if (validators.etag() != null) {
            request.header("If-None-Match", validators.etag());
        }
        if (validators.lastModified() != null) {
            request.header("If-Modified-Since", validators.lastModified());
        }
        CompletableFuture<HttpResponse<byte[]>> response = client.sendAsync(request.build(), info -> {
            boolean wanted = info.statusCode() / 100 == 2;
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new CappedBodySubscriber(wanted ? settings.maxBytes() : UNUSED_BODY_CAP, wanted, length);
        });
        // the client's own timeout stops at the headers; this deadline also covers a body that trickles
        AtomicBoolean timedOut = new AtomicBoolean();
        long deadlineMs = settings.connectTimeout().toMillis() + settings.readTimeout().toMillis();
        ScheduledFuture<?> deadline = timers.schedule(() -> {
            timedOut.set(true);
            response.cancel(true);
        }, deadlineMs, TimeUnit.MILLISECONDS);
        return response.handle((r, error) -> {
            deadline.cancel(false);
            if (error != null) {
                throw translate(url, error, timedOut.get());
            }
            return r;
        });
    }

    private FetchResult result(URI url, HttpResponse<byte[]> response, Validators sent) {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        if (status == 304) {
            Validators renewed = validators(headers);
            return new FetchResult.NotModified(url, renewed.isEmpty() ? sent : renewed);
        }
        if (status == 429 || status == 503) {
            throw new FetchException(status == 429 ? "rate-limited" : "unavailable", url + " answered " + status,
                    status, RetryAfter.parse(headers.firstValue("Retry-After").orElse(null), Instant.now()), null);
        }
        if (status / 100 != 2) {
            throw new FetchException("http-" + status, url + " answered " + status, status, null, null);
        }
        byte[] body = ContentDecoding.decode(response.body(), headers.firstValue("Content-Encoding").orElse(null),
                settings.maxBytes());
        return new FetchResult.Fetched(url, body, headers.firstValue("Content-Type").orElse(null), validators(headers));
    }

    private static Validators validators(HttpHeaders headers) {
        return new Validators(headers.firstValue("ETag").orElse(null), headers.firstValue("Last-Modified").orElse(null));
    }

    private static URI location(URI from, HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null || location.isBlank()) {
            throw new FetchException("bad-redirect", from + " answered " + response.statusCode() + " without a Location");
        }
        try {
            return from.resolve(new URI(location.strip()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException("bad-redirect", from + " redirected to a malformed Location: " + location);
        }
    }

    private FetchException translate(URI url, Throwable error, boolean timedOut) {
        Throwable cause = FetchException.unwrap(error);
        FetchException known = FetchException.find(cause);
        if (known != null) {
            return known;
        }
        if (timedOut || cause instanceof CancellationException) {
            return new FetchException("timeout", url + " did not answer within "
                    + settings.readTimeout().toMillis() + " ms (ingest.http.read.timeout.ms)");
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new FetchException("connect-timeout", "cannot connect to " + url + " within "
                    + settings.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new FetchException("timeout", url + " did not answer within "
                    + settings.readTimeout().toMillis() + " ms (ingest.http.read.timeout.ms)", cause);
        }
        if (cause instanceof ConnectException) {
            return new FetchException("connection-refused", "cannot connect to " + url + ": " + cause.getMessage(), cause);
        }
        if (cause instanceof IOException) {
            return new FetchException("io-error", url + ": " + cause, cause);
        }
        return new FetchException("fetch-failed", url + ": " + cause, cause);
    }
}
