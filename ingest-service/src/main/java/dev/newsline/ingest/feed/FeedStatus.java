package dev.newsline.ingest.feed;

import java.time.Instant;

/**
 * One feed's state and totals since start.
 *
 * @param name                source name
 * @param url                 feed URL
 * @param polls               polls finished
 * @param fetched             polls that received a document
 * @param notModified         polls answered 304
 * @param errors              polls failed (fetch errors and unreadable documents)
 * @param consecutiveFailures failures since the last successful poll
 * @param lastError           reason and detail of the last failure, or null
 * @param lastSuccess         end of the last successful poll, or null
 * @param produced            articles acknowledged by Kafka, updates included
 * @param updates             of which updates
 * @param duplicates          items skipped as already produced
 * @param deadLettered        items and documents dead-lettered
 */
public record FeedStatus(String name, String url, long polls, long fetched, long notModified, long errors,
                         int consecutiveFailures, String lastError, Instant lastSuccess,
                         long produced, long updates, long duplicates, long deadLettered) {
}
