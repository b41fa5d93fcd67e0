package dev.newsline.ingest.replay;

import java.time.Instant;

/**
 * How to replay archives.
 *
 * @param since      keep articles published at or after this time (null: no lower bound)
 * @param until      keep articles published before this time (null: no upper bound)
 * @param ratePerSec articles per second at most, 0 for as fast as possible
 * @param dryRun     parse and count only, produce nothing
 */
public record ReplayOptions(Instant since, Instant until, double ratePerSec, boolean dryRun) {

    public static ReplayOptions defaults() {
        return new ReplayOptions(null, null, 0, false);
    }

    boolean inRange(Instant published) {
        if (published == null) {
            return since == null && until == null;
        }
        return (since == null || !published.isBefore(since)) && (until == null || published.isBefore(until));
    }
}
