package dev.newsline.ingest.dedup;

import dev.newsline.model.topic.Topic;
import dev.newsline.model.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The dedup memory topic: compacted, key = article id, value = content hash (hex) of the last
 * version produced to {@code news.articles.raw}. The catalogue's {@link Topics#INGEST_SEEN} is the
 * default; {@code ingest.seen.topic} may name another (one per ingest deployment).
 */
public final class SeenTopic {

    public static final String DEFAULT_NAME = Topics.INGEST_SEEN.name();
    public static final int DEFAULT_PARTITIONS = Topics.INGEST_SEEN.partitions();

    private SeenTopic() {
    }

    public static Topic<String, String> named(String name, int partitions) {
        return new Topic<>(name, Serdes.String(), Serdes.String(), partitions, true,
                "Articles the ingest service produced: key = article id, value = content hash; compacted");
    }

    public static Topic<String, String> defaults() {
        return Topics.INGEST_SEEN;
    }
}
