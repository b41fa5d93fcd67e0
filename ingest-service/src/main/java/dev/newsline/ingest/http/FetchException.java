package dev.newsline.ingest.http;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A fetch that produced no feed document. {@link #reason()} is a short code for counters and
 * logs ({@code timeout}, {@code blocked-address}, {@code too-large}, {@code too-many-redirects},
 * {@code rate-limited}, {@code http-500} ...); {@link #retryAfter()} is the server's Retry-After,
 * when it sent one.
 */
public final class FetchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int status;
    private final transient Duration retryAfter;

    public FetchException(String reason, String detail) {
        this(reason, detail, 0, null, null);
    }

    public FetchException(String reason, String detail, Throwable cause) {
        this(reason, detail, 0, null, cause);
    }

    public FetchException(String reason, String detail, int status, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public String reason() {
        return reason;
    }

    /** HTTP status of the failing response, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The server's Retry-After, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The FetchException in a failure's cause chain (through CompletionException and the like), or null. */
    public static FetchException find(Throwable error) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (t instanceof FetchException fe) {
                return fe;
            }
            t = t.getCause();
        }
        return null;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
