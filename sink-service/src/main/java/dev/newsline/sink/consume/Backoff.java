package dev.newsline.sink.consume;

import java.time.Duration;

/** Exponential backoff: the initial wait, doubled after each failure up to a maximum. Not thread-safe. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The wait before the next retry; each call doubles the one after, up to the maximum. */
    public Duration next() {
        Duration current = next;
        next = current.compareTo(max.dividedBy(2)) > 0 ? max : current.multipliedBy(2);
        return current;
    }

    /** Back to the initial wait, after a success. */
    public void reset() {
        next = initial;
    }
}
