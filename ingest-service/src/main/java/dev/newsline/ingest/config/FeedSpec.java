package dev.newsline.ingest.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * One configured feed.
 *
 * @param url          absolute http(s) URL of the RSS, Atom or JSON Feed document
 * @param name         source name put on every article of the feed (outlet name)
 * @param pollInterval time between the end of one poll and the start of the next
 */
public record FeedSpec(URI url, String name, Duration pollInterval) {

    public FeedSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    @Override
    public String toString() {
        return name + " <" + url + ">";
    }
}
