package dev.newsline.cli;

import dev.newsline.model.config.LayeredConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Which Kafka cluster a command talks to: the configured one, or the local embedded broker. */
final class ClusterOptions {

    @Option(names = "--embedded", description = "Use the local embedded broker of 'newsctl up' (127.0.0.1:PORT).")
    boolean embedded;

    @Option(names = "--port", defaultValue = "9092", description = "Port of the local embedded broker (default: ${DEFAULT-VALUE}).")
    int port;

    /** Kafka client settings from the configuration, pointed at the local broker with --embedded. */
    Map<String, Object> kafkaSettings(Map<String, String> settings) {
        Map<String, Object> kafka = new HashMap<>(LayeredConfig.kafkaSettings(settings));
        if (embedded) {
            kafka.put("bootstrap.servers", "127.0.0.1:" + port);
        }
        return kafka;
    }

    /** The settings, or empty (with the reason printed) when no cluster is configured. */
    static Optional<Map<String, Object>> requireCluster(Map<String, Object> kafka, java.io.PrintWriter err) {
        if (kafka.containsKey("bootstrap.servers")) {
            return Optional.of(kafka);
        }
        err.println("No cluster configured: set kafka.bootstrap.servers (--config or NEWS_KAFKA_BOOTSTRAP_SERVERS) or use --embedded.");
        return Optional.empty();
    }
}
