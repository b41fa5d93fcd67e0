package dev.newsline.ingest.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How feeds are fetched.
 *
 * @param connectTimeout time allowed to open the TCP (and TLS) connection
 * @param readTimeout    time allowed for the whole response, headers and body, per request
 * @param maxBytes       largest document accepted, counted after decompression
 * @param maxRedirects   redirects followed per fetch; one more is an error
 * @param userAgent      User-Agent header
 * @param guard          checks every URL, the first and each redirect target, before connecting
 */
public record FetchSettings(Duration connectTimeout, Duration readTimeout, int maxBytes, int maxRedirects,
                            String userAgent, AddressGuard guard) {

    public FetchSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(guard, "guard");
        if (maxBytes < 1 || maxRedirects < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 1 and maxRedirects >= 0");
        }
    }
}
