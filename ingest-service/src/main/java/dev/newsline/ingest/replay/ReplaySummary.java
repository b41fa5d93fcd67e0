package dev.newsline.ingest.replay;

import java.util.Map;

/**
 * What a replay did.
 *
 * @param read       articles read (lines or items), before any filter
 * @param produced   articles produced (or, in a dry run, that would have been)
 * @param duplicates articles skipped as already seen with the same content
 * @param filtered   articles outside --since/--until
 * @param rejected   inputs rejected, by reason code
 * @param elapsedMs  wall time
 */
public record ReplaySummary(long read, long produced, long duplicates, long filtered,
                            Map<String, Long> rejected, long elapsedMs) {

    public long rejectedTotal() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
}
