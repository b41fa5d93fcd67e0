package dev.newsline.ingest.feed;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter: after the n-th consecutive failure the delay is drawn from
 * [d/2, d] with d = min(max, base * 2^(n-1)), so feeds failing together do not retry together.
 */
public final class Backoff {

    private final long baseMs;
    private final long maxMs;
    private final Random random;

    public Backoff(Duration base, Duration max) {
        this(base, max, new Random());
    }

    Backoff(Duration base, Duration max, Random random) {
        this.baseMs = Math.max(1, base.toMillis());
        this.maxMs = Math.max(baseMs, max.toMillis());
        this.random = random;
    }

    /** Delay after {@code failures} consecutive failures (at least 1). */
    public Duration delay(int failures) {
        int shift = Math.min(Math.max(failures, 1) - 1, 40);
        long d = baseMs << shift;
        if (d <= 0 || d > maxMs) {
            d = maxMs;
        }
        long half = d / 2;
        synchronized (random) {
            return Duration.ofMillis(half + (long) (random.nextDouble() * (d - half)));
        }
    }
}
